/**
 * One ClickHouse client for both engines: the embedded chDB (default) or a server/cluster at
 * CLICKHOUSE_URL. Query code never knows which one it talks to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../config.ts';

export type Store = ClickHouseClient;

/** Settings every query runs with: 64-bit integers quoted so H3 ids keep their precision in JS. */
const COMMON_SETTINGS = {
	output_format_json_quote_64bit_integers: 1,
	date_time_input_format: 'best_effort',
	date_time_output_format: 'iso'
} as const;

export async function createStore(config: Config): Promise<Store> {
	if (config.clickhouse.url) {
		return createClient({
			url: config.clickhouse.url,
			username: config.clickhouse.user,
			password: config.clickhouse.password,
			database: config.clickhouse.database,
			clickhouse_settings: COMMON_SETTINGS,
			request_timeout: 30_000
		});
	}
	const dir = path.join(config.dataDir, 'clickhouse');
	fs.mkdirSync(dir, { recursive: true });
	// Loaded lazily: importing chdb maps the ~500 MB engine, which a server-backed process never needs.
	const { createChdbConnection } = await import('chdb/connection');
	return createClient({
		// The connection hook is marked experimental in @clickhouse/client; its type is not exported.
		connection: createChdbConnection({ path: dir }) as never,
		clickhouse_settings: COMMON_SETTINGS
	} as Parameters<typeof createClient>[0]);
}

/** True when the store answers a trivial query. */
export async function pingStore(store: Store): Promise<boolean> {
	try {
		const r = await store.query({ query: 'SELECT 1 AS ok', format: 'JSONEachRow' });
		const rows = await r.json<{ ok: number }>();
		return rows[0]?.ok === 1;
	} catch {
		return false;
	}
}
