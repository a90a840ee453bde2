/** `GET /api/v1/incidents/:id`: one incident with its status events. */
import type { Store } from '../client.ts';
import type { IncidentDetail, StatusEventView } from '../../../src/lib/contract/incident.ts';
import { iso, statusesOf } from './incident-list.ts';
import { repeatLinks } from '../../places/queries/repeat-links.ts';
import type { RepeatWindows } from '../../places/windows.ts';

interface Row {
	id: string;
	created_at: string;
	received_at: string;
	district: string;
	category: string;
	source: IncidentDetail['source'];
	lat: number | null;
	lon: number | null;
	address: string;
	text: string;
	url: string;
	severity: number;
	deadline_at: string;
	place_key: string;
}

const INCIDENT = `
	SELECT id, created_at, received_at, district, category, source, lat, lon, address, text, url, severity, deadline_at, place_key
	FROM incidents WHERE id = {id:String} LIMIT 1`;

const EVENTS = `
	SELECT incident_id, type, at, executor, comment
	FROM incident_events WHERE incident_id = {id:String}
	ORDER BY at, type`;

export async function incidentDetail(store: Store, id: string, now: Date, windows: RepeatWindows, district: string | null = null): Promise<IncidentDetail | null> {
	const r = await store.query({ query: INCIDENT, query_params: { id }, format: 'JSONEachRow', clickhouse_settings: { log_comment: 'incident_detail' } });
	const row = (await r.json<Row>())[0];
	if (!row) return null;
	const e = await store.query({ query: EVENTS, query_params: { id }, format: 'JSONEachRow', clickhouse_settings: { log_comment: 'incident_events' } });
	const events = (await e.json<StatusEventView>()).map((x) => ({ ...x, at: iso(x.at) }));
	const status = (await statusesOf(store, [id])).get(id) ?? 'open';
	const links = (await repeatLinks(store, [row], district, windows)).get(id);
	const firstResponse = events.find((x) => x.type === 'responded')?.at ?? null;
	const deadline = iso(row.deadline_at);
	return {
		id: row.id,
		created_at: iso(row.created_at),
		received_at: iso(row.received_at),
		district: row.district,
		category: row.category,
		source: row.source,
		lat: row.lat,
		lon: row.lon,
		address: row.address,
		text: row.text,
		url: row.url,
		severity: Number(row.severity),
		status,
		deadline_at: deadline,
		repeat_of: links?.repeat_of ?? null,
		repeated_by: links?.repeated_by ?? null,
		events,
		first_response_at: firstResponse,
		overdue: firstResponse === null && Date.parse(deadline) < now.getTime()
	};
}
