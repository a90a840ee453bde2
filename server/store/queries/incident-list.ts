/** `GET /api/v1/incidents` and the snapshot feed: incidents in scope, newest first, keyset-paginated. */
import type { Store } from '../client.ts';
import { feedText, type IncidentStatus, type IncidentView } from '../../../src/lib/contract/incident.ts';
import { RESPONDED_IDS, STATUS_BY_ID } from './incident-status.ts';
import { repeatLinks } from '../../places/queries/repeat-links.ts';
import type { RepeatWindows } from '../../places/windows.ts';

export interface IncidentListFilter {
	/** null = whole city */
	district: string | null;
	status: 'open' | 'overdue' | 'all';
	category: string | null;
	source: string | null;
	from: Date | null;
	to: Date | null;
	limit: number;
	cursor: { createdAtMs: number; id: string } | null;
	now: Date;
}

interface Row {
	id: string;
	created_at: string;
	district: string;
	category: string;
	source: IncidentView['source'];
	lat: number | null;
	lon: number | null;
	address: string;
	text: string;
	severity: number;
	deadline_at: string;
	place_key: string;
}

const LIST = `
	SELECT id, created_at, district, category, source, lat, lon, address, substring(text, 1, 400) AS text, severity, deadline_at, place_key
	FROM incidents
	WHERE ({district:Nullable(String)} IS NULL OR district = {district:Nullable(String)})
	  AND ({category:Nullable(String)} IS NULL OR category = {category:Nullable(String)})
	  AND ({source:Nullable(String)} IS NULL OR source = {source:Nullable(String)})
	  AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
	  AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
	  AND ({status:String} = 'all' OR id NOT IN (${RESPONDED_IDS}))
	  AND ({status:String} != 'overdue' OR deadline_at < {now:DateTime64(3, 'UTC')})
	  AND ({cursor_ms:Nullable(Int64)} IS NULL
	       OR toUnixTimestamp64Milli(created_at) < {cursor_ms:Nullable(Int64)}
	       OR (toUnixTimestamp64Milli(created_at) = {cursor_ms:Nullable(Int64)} AND id < {cursor_id:String}))
	ORDER BY created_at DESC, id DESC
	LIMIT {limit:UInt32}`;

export async function listIncidents(store: Store, f: IncidentListFilter, windows: RepeatWindows): Promise<{ items: IncidentView[]; next: { createdAtMs: number; id: string } | null }> {
	const r = await store.query({
		query: LIST,
		query_params: {
			district: f.district,
			category: f.category,
			source: f.source,
			from: f.from ? f.from.toISOString().replace('Z', '') : null,
			to: f.to ? f.to.toISOString().replace('Z', '') : null,
			status: f.status,
			now: f.now.toISOString().replace('Z', ''),
			cursor_ms: f.cursor ? f.cursor.createdAtMs : null,
			cursor_id: f.cursor ? f.cursor.id : '',
			limit: f.limit + 1
		},
		format: 'JSONEachRow',
		clickhouse_settings: { log_comment: 'incident_list' }
	});
	const rows = await r.json<Row>();
	const page = rows.slice(0, f.limit);
	const ids = page.map((x) => x.id);
	const [statuses, repeats] = await Promise.all([statusesOf(store, ids), repeatLinks(store, page, f.district, windows)]);
	const items = page.map((row) => toView(row, statuses.get(row.id) ?? 'open', repeats.get(row.id)?.repeat_of ?? null));
	const last = page[page.length - 1];
	const next = rows.length > f.limit && last ? { createdAtMs: Date.parse(last.created_at), id: last.id } : null;
	return { items, next };
}

export async function statusesOf(store: Store, ids: string[]): Promise<Map<string, IncidentStatus>> {
	if (ids.length === 0) return new Map();
	const r = await store.query({
		query: STATUS_BY_ID,
		query_params: { ids },
		format: 'JSONEachRow',
		clickhouse_settings: { log_comment: 'incident_statuses' }
	});
	const rows = await r.json<{ incident_id: string; status: IncidentStatus }>();
	return new Map(rows.map((x) => [x.incident_id, x.status]));
}

function toView(row: Row, status: IncidentStatus, repeatOf: string | null): IncidentView {
	return {
		id: row.id,
		created_at: iso(row.created_at),
		district: row.district,
		category: row.category,
		source: row.source,
		lat: row.lat,
		lon: row.lon,
		address: row.address,
		text: feedText(row.text),
		severity: Number(row.severity),
		status,
		repeat_of: repeatOf,
		deadline_at: iso(row.deadline_at)
	};
}

/** The engine prints DateTime64 in ISO form; normalise to `Date#toISOString` (always with Z and ms). */
export function iso(s: string): string {
	return new Date(s.endsWith('Z') ? s : s + 'Z').toISOString();
}

export function encodeCursor(c: { createdAtMs: number; id: string }): string {
	return Buffer.from(JSON.stringify([c.createdAtMs, c.id])).toString('base64url');
}

export function decodeCursor(s: string): { createdAtMs: number; id: string } | null {
	try {
		const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
		if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string' && v[1].length <= 128) {
			return { createdAtMs: v[0] as number, id: v[1] };
		}
	} catch {
		/* fallthrough */
	}
	return null;
}
