/** One page of stored status events in key order, after a key: the dedupe index warms from these at start. */
import { z } from 'zod';
import { runQuery } from '../query.ts';
import type { Store } from '../client.ts';

const Row = z.object({ incident_id: z.string(), type: z.string(), at_ms: z.coerce.number() });
export type StoredEventKey = z.infer<typeof Row>;

const QUERY = `
SELECT incident_id, type, toUnixTimestamp64Milli(at) AS at_ms
FROM incident_events
WHERE (incident_id, type, at) > ({incident_id:String}, {type:String}, fromUnixTimestamp64Milli({at_ms:Int64}, 'UTC'))
ORDER BY incident_id, type, at
LIMIT {limit:UInt32}`;

export async function storedEventPage(store: Store, after: StoredEventKey, limit: number): Promise<StoredEventKey[]> {
	return runQuery(store, 'ingest_warm_event_keys', QUERY, { ...after, limit }, Row);
}
