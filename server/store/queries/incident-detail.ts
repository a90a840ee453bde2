/** `GET /api/v1/incidents/:id`: one incident with its status events. */
import { z } from 'zod';
import type { Store } from '../client.ts';
import { runQuery } from '../query.ts';
import { isoOut } from '../time.ts';
import type { IncidentDetail } from '../../../src/lib/contract/incident.ts';
import { IncidentRow, statusesOf } from './incident-list.ts';
import { incidentEvents } from './incident-events.ts';

const Row = IncidentRow.extend({ received_at: z.string(), url: z.string() });

const INCIDENT = `
	SELECT id, created_at, received_at, district, category, source, lat, lon, address, text, url, severity, deadline_at
	FROM incidents WHERE id = {id:String} LIMIT 1`;

export async function incidentDetail(store: Store, id: string, now: Date): Promise<IncidentDetail | null> {
	const row = (await runQuery(store, 'incident_detail', INCIDENT, { id }, Row))[0];
	if (!row) return null;
	const events = await incidentEvents(store, id);
	const status = (await statusesOf(store, [id])).get(id) ?? 'open';
	const firstResponse = events.find((x) => x.type === 'responded')?.at ?? null;
	const deadline = isoOut(row.deadline_at);
	return {
		...row,
		created_at: isoOut(row.created_at),
		received_at: isoOut(row.received_at),
		status,
		deadline_at: deadline,
		repeat_of: null,
		events,
		first_response_at: firstResponse,
		overdue: firstResponse === null && Date.parse(deadline) < now.getTime()
	};
}
