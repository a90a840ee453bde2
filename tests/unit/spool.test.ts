import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool, SpoolFullError } from '../../server/ingest/spool.ts';
import { tempDir } from '../helpers/app.ts';

describe('spool', () => {
	it('keeps entries in order across a reopen and forgets them once committed', async () => {
		const dir = tempDir();
		const a = new Spool(dir, 1 << 20);
		await a.append({ kind: 'incidents', token: 't1', rows: [{ id: 1 }] });
		await a.append({ kind: 'events', token: 't2', rows: [{ id: 2 }] });
		await a.close();

		const b = new Spool(dir, 1 << 20);
		expect(b.depth.entries).toBe(2);
		const first = await b.peek();
		expect(first?.entry.token).toBe('t1');
		await b.commit(first!.end);
		await b.close();

		const c = new Spool(dir, 1 << 20);
		expect(c.depth.entries).toBe(1);
		const second = await c.peek();
		expect(second?.entry).toEqual({ kind: 'events', token: 't2', rows: [{ id: 2 }] });
		await c.commit(second!.end);
		expect(c.hasPending).toBe(false);
		expect(fs.statSync(path.join(dir, 'spool.log')).size).toBe(0);
	});

	it('cuts a torn last line (never acknowledged) at open', async () => {
		const dir = tempDir();
		const a = new Spool(dir, 1 << 20);
		await a.append({ kind: 'incidents', token: 'ok', rows: [] });
		await a.close();
		fs.appendFileSync(path.join(dir, 'spool.log'), '{"kind":"incidents","tok');
		const b = new Spool(dir, 1 << 20);
		expect(b.depth.entries).toBe(1);
		expect((await b.peek())?.entry.token).toBe('ok');
	});

	it('refuses an entry that would pass its size limit', async () => {
		const s = new Spool(tempDir(), 200);
		await s.append({ kind: 'incidents', token: 'a', rows: [{ x: 'y'.repeat(50) }] });
		await expect(s.append({ kind: 'incidents', token: 'b', rows: [{ x: 'y'.repeat(150) }] })).rejects.toBeInstanceOf(SpoolFullError);
		expect(s.depth.entries).toBe(1);
	});
});

describe('spool as the ingest log', () => {
	it('hands out the same entries from memory as from the file, in order, in one fsync per group', async () => {
		const dir = tempDir();
		const a = new Spool(dir, 1 << 20);
		const syncs: number[] = [];
		a.onSync((s) => syncs.push(s.entries.length));
		await a.appendMany([1, 2, 3].map((i) => ({ kind: 'incidents' as const, token: `t${i}`, rows: [{ id: i }] })));
		await a.append({ kind: 'events', token: 't4', rows: [{ id: 4 }] });
		expect(syncs).toEqual([3, 1]);
		const fromMemory = await a.readPending(10);
		await a.close();
		const b = new Spool(dir, 1 << 20);
		const fromFile = await b.readPending(10);
		expect(fromFile).toEqual(fromMemory);
		expect(fromFile.entries.map((e) => e.token)).toEqual(['t1', 't2', 't3', 't4']);
		const firstTwo = await b.readPending(2);
		await b.commit(firstTwo.ends[1]!, 2);
		expect((await b.readPending(10)).entries.map((e) => e.token)).toEqual(['t3', 't4']);
	});

	it('cuts the stored head once it is large, keeping the pending tail across a reopen', async () => {
		const dir = tempDir();
		const a = new Spool(dir, 1 << 20, { compactAtBytes: 2000 });
		for (let i = 0; i < 40; i++) await a.append({ kind: 'incidents', token: `t${i}`, rows: [{ id: i, pad: 'x'.repeat(80) }] });
		const sizeBefore = fs.statSync(path.join(dir, 'spool.log')).size;
		const head = await a.readPending(30);
		await a.commit(head.ends[29]!, 30);
		expect(fs.statSync(path.join(dir, 'spool.log')).size).toBeLessThan(sizeBefore / 3);
		await a.append({ kind: 'incidents', token: 'after', rows: [] });
		await a.close();
		const b = new Spool(dir, 1 << 20);
		expect(b.depth.entries).toBe(11);
		expect((await b.readPending(100)).entries.map((e) => e.token)).toEqual([...Array.from({ length: 10 }, (_, i) => `t${30 + i}`), 'after']);
	});
});
