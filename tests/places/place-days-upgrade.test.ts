/**
 * Upgrading a store of the previous version: migration 041 fills `place_days` from the incidents already
 * stored (and a repeat of its backfill adds nothing), and the start-up place-key backfill — a mutation the
 * view never sees — leaves the per-day counts equal to the incidents again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, openTestStore, type TestStore } from '../analytics/support/store.ts';
import { migrate, readMigrations } from '../../server/store/migrate.ts';
import { backfillPlaceKeys } from '../../server/places/backfill.ts';
import { placeKey } from '../../server/places/identity.ts';
import { chTime } from '../../server/analytics/time.ts';
import { Rng } from '../../server/simulate/random.ts';
import { perDayBothWays } from './support/place-days.ts';

let t: TestStore;
const now = Date.now();
const rng = new Rng(13);
const opts = { cityNames: ['Барнаул'] };
const ADDRESSES = ['ул. Попова, 104а', 'Попова улица 104 А', 'ул. Юрина, 10', 'Парк «Изумрудный»', ''];

const rows = Array.from({ length: 400 }, (_, i) => ({
	id: `up-${i}`,
	created_at: new Date(now - Math.floor(rng.next() * 200 * 86_400_000)),
	deadline_at: new Date(now),
	district: ['industrialny', 'central'][i % 2]!,
	category: ['heating', 'water'][rng.int(0, 1)]!,
	address: ADDRESSES[rng.int(0, ADDRESSES.length - 1)]!,
	lat: i % 3 ? 53.35 + rng.int(0, 3) * 0.001 : null,
	lon: i % 3 ? 83.7 : null
}));
/** Half were stored with their key by version 040, half before place identity (key ''). */
const keyed = rows.filter((_, i) => i % 2 === 0);
const unkeyed = rows.filter((_, i) => i % 2 === 1);

async function sum(): Promise<number> {
	const r = await t.store.query({ query: 'SELECT sum(n) AS n FROM place_days', format: 'JSONEachRow' });
	return Number((await r.json<{ n: string }>())[0]!.n);
}

beforeAll(async () => {
	t = await openTestStore('mcu-place-days-');
	// Back to the previous version's schema: no per-day table, migration 041 not recorded.
	await t.store.command({ query: 'DROP VIEW place_days_mv' });
	await t.store.command({ query: 'DROP TABLE place_days' });
	await t.store.command({ query: 'ALTER TABLE schema_migrations DELETE WHERE version = 41', clickhouse_settings: { mutations_sync: '2' } });
	await insertIncidents(t.store, unkeyed);
	await t.store.insert({
		table: 'incidents',
		format: 'JSONEachRow',
		values: keyed.map((r) => ({
			id: r.id, source: 'vk', created_at: chTime(r.created_at), received_at: chTime(r.created_at), category: r.category, district: r.district,
			lat: r.lat, lon: r.lon, h3: '0', address: r.address, deadline_at: chTime(r.deadline_at), place_key: placeKey(r, opts)
		}))
	});
});
afterAll(async () => {
	await t?.close();
});

describe('migration 041 on a store of the previous version', () => {
	it('fills place_days with the counts of the incidents already stored', async () => {
		expect(await migrate(t.store)).toEqual(['041_place_days']);
		const { table, raw } = await perDayBothWays(t.store);
		expect(raw.length).toBeGreaterThan(20);
		expect(table).toEqual(raw);
		expect(await sum()).toBe(keyed.filter((r) => placeKey(r, opts) !== '-').length);
	});

	it('adds nothing when its backfill runs again (a crash before the migration was recorded)', async () => {
		const backfill = readMigrations().find((m) => m.version === 41)!.statements.find((s) => s.startsWith('INSERT'))!;
		const before = await sum();
		await t.store.command({ query: backfill });
		expect(await sum()).toBe(before);
	});

	it('counts the rows the place-key backfill gives a place', async () => {
		expect((await backfillPlaceKeys(t.store, opts)).rows).toBe(unkeyed.length);
		const { table, raw } = await perDayBothWays(t.store);
		expect(table).toEqual(raw);
		expect(await sum()).toBe(rows.filter((r) => placeKey(r, opts) !== '-').length);
	});
});
