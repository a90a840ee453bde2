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
