/** Snapshot requests of one scope share a computation that starts only after they all asked. */
import { describe, expect, it } from 'vitest';
import { coalesceByScope } from '../../server/realtime/snapshot-coalescer.ts';
import type { Scope } from '../../src/lib/contract/roles.ts';

describe('coalesceByScope', () => {
	it('computes once for requests of the same moment, per scope', async () => {
		const calls: (string | null)[] = [];
		const get = coalesceByScope(async (s: Scope) => {
			calls.push(s.district);
			return { district: s.district, n: calls.length };
		});
		const r = await Promise.all([get({ district: null }), get({ district: null }), get({ district: 'central' }), get({ district: null })]);
		expect(calls.sort()).toEqual(['central', null]);
		expect(r[0]).toBe(r[1]);
		expect(r[0]).toBe(r[3]);
		expect(r[2]!.district).toBe('central');
	});

	it('never hands a request a computation that started before it asked', async () => {
		let release: () => void = () => undefined;
		const started: number[] = [];
		let asked = 0;
		const get = coalesceByScope(async () => {
			started.push(asked);
			if (started.length === 1) await new Promise<void>((r) => (release = r));
			return started.length;
		});
		asked = 1;
		const first = get({ district: null });
		await new Promise((r) => setImmediate(r));
		await new Promise((r) => setImmediate(r));
		// The first computation is running; these two ask now and must get a later one, shared.
		asked = 3;
		const second = get({ district: null });
		const third = get({ district: null });
		release();
		expect(await first).toBe(1);
		expect(await second).toBe(2);
		expect(await third).toBe(2);
		expect(started).toEqual([1, 3]);
	});

	it('goes on after a failed computation', async () => {
		let fail = true;
		const get = coalesceByScope(async () => {
			if (fail) throw new Error('store down');
			return 'ok';
		});
		await expect(get({ district: null })).rejects.toThrow('store down');
		fail = false;
		expect(await get({ district: null })).toBe('ok');
	});
});
