/** One page of stored incident ids in id order, after `after`: the dedupe index warms from these at start. */
import { z } from 'zod';
import { runQuery } from '../query.ts';
import type { Store } from '../client.ts';

const Row = z.object({ id: z.string() });

const QUERY = `
SELECT id
FROM incidents
WHERE id > {after:String}
ORDER BY id
LIMIT {limit:UInt32}`;

export async function storedIdPage(store: Store, after: string, limit: number): Promise<string[]> {
	return (await runQuery(store, 'ingest_warm_incident_ids', QUERY, { after, limit }, Row)).map((r) => r.id);
}
