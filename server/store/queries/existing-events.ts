/** Which of these status events are stored already, as `eventKey` strings. */
import type { Store } from '../client.ts';
import { eventKey } from '../../ingest/normalize.ts';

interface Row {
	incident_id: string;
	type: string;
	at: string;
}

export async function existingEventKeys(store: Store, incidentIds: readonly string[]): Promise<Set<string>> {
	const keys = new Set<string>();
	for (let i = 0; i < incidentIds.length; i += 10_000) {
		const r = await store.query({
			query: 'SELECT incident_id, type, at FROM incident_events WHERE incident_id IN {ids:Array(String)}',
			query_params: { ids: incidentIds.slice(i, i + 10_000) },
			format: 'JSONEachRow',
			clickhouse_settings: { log_comment: 'existing_event_keys' }
		});
		for (const row of await r.json<Row>()) keys.add(eventKey(row));
	}
	return keys;
}
