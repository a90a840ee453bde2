/**
 * The one query runner: every query module of the server runs its one static SQL through it, with bound
 * `{name:Type}` parameters, its name as `log_comment` (so it can be found in `system.query_log`) and a zod
 * schema for its rows: no row type is trusted without one.
 */
import type { z } from 'zod';
import type { Store } from './client.ts';

export type Params = Record<string, unknown>;

export async function runQuery<S extends z.ZodType>(store: Store, name: string, query: string, params: Params, row: S): Promise<z.output<S>[]> {
	const result = await store.query({
		query,
		query_params: params,
		format: 'JSONEachRow',
		clickhouse_settings: { log_comment: name }
	});
	const rows: unknown[] = await result.json();
	return rows.map((r) => row.parse(r));
}
