/**
 * Runs one named report query: static SQL, bound `{name:Type}` parameters, `log_comment` set to the
 * query's name so it can be found in the engine's query log, rows checked against the row schema.
 */
import type { z } from 'zod';
import type { Store } from '../../store/client.ts';

/** Parameters every week query binds: the week's bounds and the week before, as UTC instants. */
export interface WeekParams {
	start: Date;
	end: Date;
	prev_start: Date;
	tz: string;
}

/** DateTime64 text the engine reads regardless of its input format setting. */
export function chTime(d: Date): string {
	return d.toISOString().replace('T', ' ').replace('Z', '');
}

export function weekParams(p: WeekParams): Record<string, string> {
	return { start: chTime(p.start), end: chTime(p.end), prev_start: chTime(p.prev_start), tz: p.tz };
}

export async function runQuery<S extends z.ZodType>(
	store: Store,
	name: string,
	query: string,
	params: Record<string, unknown>,
	row: S
): Promise<Array<z.output<S>>> {
	const result = await store.query({
		query,
		query_params: params,
		format: 'JSONEachRow',
		clickhouse_settings: { log_comment: name }
	});
	const rows = await result.json<unknown>();
	return rows.map((r) => row.parse(r));
}
