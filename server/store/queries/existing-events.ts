/** Which of these status events are stored already, as `eventKey` strings. */
import { z } from 'zod';
import type { Store } from '../client.ts';
import { runQuery } from '../query.ts';
import { eventKey } from '../../ingest/normalize.ts';

const EXISTING = 'SELECT incident_id, type, at FROM incident_events WHERE incident_id IN {ids:Array(String)}';
const Row = z.object({ incident_id: z.string(), type: z.string(), at: z.string() });

export async function existingEventKeys(store: Store, incidentIds: readonly string[]): Promise<Set<string>> {
	const keys = new Set<string>();
	for (let i = 0; i < incidentIds.length; i += 10_000) {
		const rows = await runQuery(store, 'existing_event_keys', EXISTING, { ids: incidentIds.slice(i, i + 10_000) }, Row);
		for (const row of rows) keys.add(eventKey(row));
	}
	return keys;
}
