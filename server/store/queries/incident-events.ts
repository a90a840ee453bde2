/** The status events of one incident, in order: its timeline on `GET /api/v1/incidents/:id`. */
import { z } from 'zod';
import type { Store } from '../client.ts';
import { runQuery } from '../query.ts';
import { isoOut } from '../time.ts';
import { EventTypeSchema, type StatusEventView } from '../../../src/lib/contract/incident.ts';

const EVENTS = `
	SELECT incident_id, type, at, executor, comment
	FROM incident_events WHERE incident_id = {id:String}
	ORDER BY at, type`;

const Row = z.object({ incident_id: z.string(), type: EventTypeSchema, at: z.string(), executor: z.string(), comment: z.string() });

export async function incidentEvents(store: Store, id: string): Promise<StatusEventView[]> {
	const rows = await runQuery(store, 'incident_events', EVENTS, { id }, Row);
	return rows.map((x) => ({ ...x, at: isoOut(x.at) }));
}
