/** Which of these incident ids are stored already (a primary-key read through the `by_id` projection). */
import { z } from 'zod';
import type { Store } from '../client.ts';
import { runQuery } from '../query.ts';

const EXISTING = 'SELECT id, district FROM incidents WHERE id IN {ids:Array(String)}';
const Row = z.object({ id: z.string(), district: z.string() });

export async function existingIncidentIds(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
	const found = new Map<string, string>();
	for (let i = 0; i < ids.length; i += 10_000) {
		const rows = await runQuery(store, 'existing_incident_ids', EXISTING, { ids: ids.slice(i, i + 10_000) }, Row);
		for (const row of rows) found.set(row.id, row.district);
	}
	return found;
}
