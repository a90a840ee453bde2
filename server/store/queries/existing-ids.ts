/** Which of these incident ids are stored already (a primary-key read through the `by_id` projection). */
import type { Store } from '../client.ts';

export async function existingIncidentIds(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
	const found = new Map<string, string>();
	for (let i = 0; i < ids.length; i += 10_000) {
		const r = await store.query({
			query: 'SELECT id, district FROM incidents WHERE id IN {ids:Array(String)}',
			query_params: { ids: ids.slice(i, i + 10_000) },
			format: 'JSONEachRow',
			clickhouse_settings: { log_comment: 'existing_incident_ids' }
		});
		for (const row of await r.json<{ id: string; district: string }>()) found.set(row.id, row.district);
	}
	return found;
}
