/** `GET /api/v1/incidents/:id`: one incident with its status events and its repeat links both ways. */
import { z } from 'zod';
import type { Store } from '../client.ts';
import { runQuery } from '../query.ts';
import { isoOut } from '../time.ts';
import type { IncidentDetail } from '../../../src/lib/contract/incident.ts';
import { IncidentRow, statusesOf } from './incident-list.ts';
import { incidentEvents } from './incident-events.ts';
import { repeatLinks } from '../../places/queries/repeat-links.ts';
import type { RepeatWindows } from '../../places/windows.ts';

const Row = IncidentRow.extend({ received_at: z.string(), url: z.string() });

const INCIDENT = `
	SELECT id, created_at, received_at, district, category, source, lat, lon, address, text, url, severity, deadline_at, place_key
	FROM incidents WHERE id = {id:String} LIMIT 1`;

export async function incidentDetail(store: Store, id: string, now: Date, windows: RepeatWindows, district: string | null = null): Promise<IncidentDetail | null> {
	const row = (await runQuery(store, 'incident_detail', INCIDENT, { id }, Row))[0];
	if (!row) return null;
	const [events, statuses, links] = await Promise.all([incidentEvents(store, id), statusesOf(store, [id]), repeatLinks(store, [row], district, windows)]);
	const status = statuses.get(id) ?? 'open';
	const link = links.get(id);
	const firstResponse = events.find((x) => x.type === 'responded')?.at ?? null;
	const deadline = isoOut(row.deadline_at);
	const { place_key: _place, ...fields } = row;
	return {
		...fields,
		created_at: isoOut(row.created_at),
		received_at: isoOut(row.received_at),
		status,
		deadline_at: deadline,
		repeat_of: link?.repeat_of ?? null,
		repeated_by: link?.repeated_by ?? null,
		events,
		first_response_at: firstResponse,
		overdue: firstResponse === null && Date.parse(deadline) < now.getTime()
	};
}
