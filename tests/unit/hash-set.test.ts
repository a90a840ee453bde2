import { describe, expect, it } from 'vitest';
import { HashSet64, hash64 } from '../../server/ingest/hash-set.ts';
import { KeyIndex } from '../../server/ingest/key-index.ts';

describe('hash set of 64-bit key hashes', () => {
	it('never forgets a key across growth, and rarely claims an unseen one', () => {
		const set = new HashSet64(16, 1 << 20);
		for (let i = 0; i < 200_000; i++) set.add(`vk-${i}`);
		expect(set.size).toBe(200_000);
		let missing = 0;
		for (let i = 0; i < 200_000; i++) if (!set.mayHave(`vk-${i}`)) missing++;
		expect(missing).toBe(0);
		let falseHits = 0;
		for (let i = 0; i < 200_000; i++) if (set.mayHave(`tg-${i}`)) falseHits++;
		expect(falseHits).toBe(0);
		expect(set.bytes).toBeLessThanOrEqual(8 * (1 << 19));
	});

	it('answers "maybe" for every key once its bound is reached', () => {
		const set = new HashSet64(16, 64);
		for (let i = 0; i < 100; i++) set.add(`k${i}`);
		expect(set.saturated).toBe(true);
		expect(set.mayHave('never-added')).toBe(true);
	});

	it('spreads similar keys over both halves', () => {
		const his = new Set<number>();
		for (let i = 0; i < 1000; i++) his.add(hash64(`id-${i}`)[0] >>> 24);
		expect(his.size).toBeGreaterThan(200);
	});
});

describe('key index', () => {
	it('asks the store only about hash hits that no recent key explains', async () => {
		const asked: string[][] = [];
		const index = new KeyIndex<string>(async (keys) => {
			asked.push(keys);
			return new Set(keys.filter((k) => k === 'old'));
		});
		index.addStored('old');
		index.markPending('new', 'central');
		const v = await index.classify(['old', 'new', 'fresh']);
		expect([...v.known].sort()).toEqual(['new', 'old']);
		expect(asked).toEqual([['old']]);
		index.markStored('new');
		expect(index.valueOf('new')).toBe('central');
		expect((await index.classify(['new'])).known.has('new')).toBe(true);
		expect(asked.length).toBe(1);
	});

	it('marks hash hits the store could not check as unverified instead of failing', async () => {
		const index = new KeyIndex<string>(async () => {
			throw new Error('store down');
		});
		index.addStored('x');
		const v = await index.classify(['x', 'y']);
		expect(v.known.size).toBe(0);
		expect([...v.unverified]).toEqual(['x']);
	});
});
