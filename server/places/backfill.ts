/**
 * Fills `incidents.place_key` for rows stored before the column existed (migration 040) or spooled by an
 * older version: the key is the application's (identity.ts), so it is computed here per distinct address
 * — a year of a city has thousands of addresses, not millions — loaded into a Join table, and written by
 * one mutation that takes an address's key, or else the location's grid cell (the engine's geoToH3 at
 * resolution 11 is the same H3 as h3-js, checked in tests/places/backfill.test.ts), or else the address's
 * name key. Runs at start-up, before ingest starts; a no-op once every row has a key. A mutation is
 * invisible to materialized views, so the per-day counts of chronic places (`place_days`) are rebuilt
 * after it.
 * Not on a cluster (`CLICKHOUSE_CLUSTER`): a Join table is per node; rows without a key there count as
 * having no place until re-imported (logged).
 */
import { z } from 'zod';
import type { Store } from '../store/client.ts';
import { runQuery } from '../store/query.ts';
import { parseAddress, placeKey, PLACE_H3_RESOLUTION, type PlaceOptions } from './identity.ts';
import { rebuildPlaceDays } from './place-days.ts';

const PENDING = `SELECT address, count() AS n FROM incidents WHERE place_key = '' GROUP BY address`;
const PendingRow = z.object({ address: z.string(), n: z.coerce.number() });
const DATABASE = `SELECT currentDatabase() AS db`;
const DbRow = z.object({ db: z.string() });

const CREATE_JOIN = `CREATE TABLE IF NOT EXISTS place_key_backfill (address String, akey String, nkey String) ENGINE = Join(ANY, LEFT, address)`;
const DROP_JOIN = `DROP TABLE IF EXISTS place_key_backfill`;
/** `{tbl}` is the Join table qualified with the current database (a mutation has no default database). */
const UPDATE = `
ALTER TABLE incidents UPDATE place_key = if(joinGet({tbl:String}, 'akey', address) != '', joinGet({tbl:String}, 'akey', address),
	if(lat IS NOT NULL AND lon IS NOT NULL, concat('g:', h3ToString(geoToH3(assumeNotNull(lat), assumeNotNull(lon), {res:UInt8}))),
		if(joinGet({tbl:String}, 'nkey', address) != '', joinGet({tbl:String}, 'nkey', address), '-')))
WHERE place_key = ''`;

export interface BackfillResult {
	rows: number;
	addresses: number;
}

export async function backfillPlaceKeys(
	store: Store,
	opts: PlaceOptions & { cluster?: string | null; log?: (msg: string) => void } = {}
): Promise<BackfillResult> {
	const pending = await runQuery(store, 'places.backfill_pending', PENDING, {}, PendingRow);
	const rows = pending.reduce((s, r) => s + r.n, 0);
	if (rows === 0) return { rows: 0, addresses: 0 };
	if (opts.cluster) {
		opts.log?.(`place keys: ${rows} incidents stored before place identity have no key on this cluster; they count as having no place`);
		return { rows: 0, addresses: 0 };
	}
	opts.log?.(`place keys: filling ${rows} incidents (${pending.length} distinct addresses)`);
	const db = (await runQuery(store, 'places.backfill_db', DATABASE, {}, DbRow))[0]!.db;
	await store.command({ query: DROP_JOIN });
	await store.command({ query: CREATE_JOIN });
	try {
		const values = pending.map((p) => {
			const parsed = p.address ? parseAddress(p.address, opts) : null;
			const akey = parsed?.house ? placeKey({ address: p.address }, opts) : '';
			const nkey = !akey && parsed?.street ? placeKey({ address: p.address }, opts) : '';
			return { address: p.address, akey, nkey };
		});
		await store.insert({ table: 'place_key_backfill', values, format: 'JSONEachRow' });
		await store.command({
			query: UPDATE,
			query_params: { tbl: `${db}.place_key_backfill`, res: PLACE_H3_RESOLUTION },
			clickhouse_settings: { mutations_sync: '2', allow_nondeterministic_mutations: 1, log_comment: 'places.backfill' }
		});
	} finally {
		await store.command({ query: DROP_JOIN });
	}
	// The mutation gave rows a place the per-day counts of chronic places never saw.
	await rebuildPlaceDays(store);
	return { rows, addresses: pending.length };
}
