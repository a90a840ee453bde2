/**
 * Place keys for rows stored before place identity (migration 040 adds the column empty): the start-up
 * backfill gives every old row the key the application would have given it at ingest, including the
 * engine's own H3 cells for rows located without an address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, openTestStore, type TestStore } from '../analytics/support/store.ts';
import { backfillPlaceKeys } from '../../server/places/backfill.ts';
import { placeKey } from '../../server/places/identity.ts';
import { RepeatIndex } from '../../server/places/repeat-index.ts';
import { DEFAULT_REPEAT_WINDOWS } from '../../server/places/windows.ts';
import { Rng } from '../../server/simulate/random.ts';

let t: TestStore;
const now = new Date();
const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
const opts = { cityNames: ['Барнаул'] };

const addresses = ['ул. Попова, 104а', 'Попова улица 104 А', 'Барнаул, ул. Юрина д.5 корп 2', 'Парк «Изумрудный»', 'ул. Попова', '', '  '];
const rng = new Rng(7);
const rows = Array.from({ length: 300 }, (_, i) => {
	const located = i % 3 !== 0;
	return {
		id: `old-${i}`,
		created_at: at(i / 10),
		deadline_at: at(i / 10 - 1),
		district: 'industrialny',
		category: i % 2 ? 'heating' : 'water',
		address: addresses[i % addresses.length]!,
		lat: located ? 53.30 + rng.next() * 0.1 : null,
		lon: located ? 83.60 + rng.next() * 0.2 : null
	};
});

beforeAll(async () => {
	t = await openTestStore('mcu-places-');
	await insertIncidents(t.store, rows);
});
afterAll(async () => {
	await t?.close();
});

describe('place key backfill', () => {
	it('gives old rows exactly the keys ingest would, and is a no-op afterwards', async () => {
		const first = await backfillPlaceKeys(t.store, opts);
		expect(first).toEqual({ rows: 300, addresses: addresses.length });
		const r = await t.store.query({ query: 'SELECT id, place_key FROM incidents', format: 'JSONEachRow' });
		const stored = new Map((await r.json<{ id: string; place_key: string }>()).map((x) => [x.id, x.place_key]));
		for (const row of rows) expect(stored.get(row.id), `${row.id} ${row.address} ${row.lat},${row.lon}`).toBe(placeKey(row, opts));
		expect(new Set(stored.values()).has('a:попова|104а')).toBe(true);
		expect(new Set(stored.values()).has('-')).toBe(true);
		expect(await backfillPlaceKeys(t.store, opts)).toEqual({ rows: 0, addresses: 0 });
	});

	it('warms the live repeat index with the latest incident of each place and category', async () => {
		const index = new RepeatIndex(DEFAULT_REPEAT_WINDOWS);
		expect(await index.warm(t.store, now)).toBeGreaterThan(0);
		// The newest stored heating incident at Попова 104а (either spelling) is what a new one repeats.
		const popova = rows.filter((x) => x.category === 'heating' && placeKey(x, opts) === 'a:попова|104а' && x.created_at >= at(30));
		const newest = popova.sort((a, b) => b.created_at.getTime() - a.created_at.getTime())[0]!;
		expect(index.observe({ id: 'new-1', category: 'heating', place_key: 'a:попова|104а', created_at: now.toISOString() })).toBe(newest.id);
		// …and then the new one is the latest.
		expect(index.observe({ id: 'new-2', category: 'heating', place_key: 'a:попова|104а', created_at: new Date(now.getTime() + 1000).toISOString() })).toBe('new-1');
	});
});

describe('repeat index', () => {
	const index = () => new RepeatIndex({ w_cats: ['snow'], w_days: [14], w_def: 30, w_max: 30 }, 3);
	const obs = (ix: RepeatIndex, id: string, place: string, category: string, daysAgo: number) =>
		ix.observe({ id, category, place_key: place, created_at: at(daysAgo).toISOString() });

	it('answers within each category window, never for late data or nowhere', () => {
		const ix = index();
		expect(obs(ix, 'a', 'a:x|1', 'heating', 40)).toBeNull();
		expect(obs(ix, 'b', 'a:x|1', 'heating', 20)).toBe('a');
		expect(obs(ix, 'c', 'a:x|1', 'heating', 25)).toBeNull(); // older than the latest known: not guessed
		expect(obs(ix, 'd', 'a:x|1', 'snow', 20)).toBeNull();
		expect(obs(ix, 'e', 'a:x|1', 'snow', 5)).toBeNull(); // 15 d > 14
		expect(obs(ix, 'f', 'a:x|1', 'snow', 1)).toBe('e');
		expect(obs(ix, 'g', '-', 'heating', 1)).toBeNull();
		expect(obs(ix, 'h', '-', 'heating', 0)).toBeNull();
	});

	it('stays bounded, forgetting the stalest place first', () => {
		const ix = index();
		for (const [i, p] of ['p1', 'p2', 'p3', 'p4'].entries()) obs(ix, `i${i}`, p, 'heating', 10 - i);
		expect(ix.size).toBe(3);
		expect(obs(ix, 'n1', 'p1', 'heating', 1)).toBeNull();
		expect(obs(ix, 'n4', 'p4', 'heating', 1)).toBe('i3');
	});
});
