/**
 * Runs one named, static query with bound parameters and validates its rows. Every query module calls
 * this, so each query is tagged with its name in `system.query_log` (`log_comment`) and no row type is
 * trusted without a schema.
 */
import type { z } from 'zod';
import type { Store } from '../../store/client.ts';

export type Params = Record<string, unknown>;

export async function runQuery<S extends z.ZodType>(
	store: Store,
	name: string,
	query: string,
	params: Params,
	row: S
): Promise<z.infer<S>[]> {
	const result = await store.query({
		query,
		query_params: params,
		format: 'JSONEachRow',
		clickhouse_settings: { log_comment: name }
	});
	const rows: unknown[] = await result.json();
	return rows.map((r) => row.parse(r));
}
