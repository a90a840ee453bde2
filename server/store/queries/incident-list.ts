/** `GET /api/v1/incidents` and the snapshot feed: incidents in scope, newest first, keyset-paginated. */
import { z } from 'zod';
import type { Store } from '../client.ts';
import { runQuery } from '../query.ts';
import { chTime, isoOut } from '../time.ts';
import { IncidentStatusSchema, IncidentViewSchema, feedText, type IncidentStatus, type IncidentView } from '../../../src/lib/contract/incident.ts';
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

/** A stored incident as the engine returns it: the view's fields, with times as engine text and severity as stored. */
export const IncidentRow = IncidentViewSchema.pick({ id: true, district: true, category: true, source: true, lat: true, lon: true, address: true, text: true }).extend({
	created_at: z.string(),
	severity: z.coerce.number(),
	deadline_at: z.string(),
	/** The place identity (server/places/identity.ts): what repeats are found by. */
	place_key: z.string()
});
const Row = IncidentRow;
type Row = z.infer<typeof Row>;

const StatusRow = z.object({ incident_id: z.string(), status: IncidentStatusSchema });

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
	const rows = await runQuery(
		store,
		'incident_list',
		LIST,
		{
			district: f.district,
			category: f.category,
			source: f.source,
			from: f.from ? chTime(f.from) : null,
			to: f.to ? chTime(f.to) : null,
			status: f.status,
			now: chTime(f.now),
			cursor_ms: f.cursor ? f.cursor.createdAtMs : null,
			cursor_id: f.cursor ? f.cursor.id : '',
			limit: f.limit + 1
		},
		Row
	);
	const page = rows.slice(0, f.limit);
	const [statuses, repeats] = await Promise.all([statusesOf(store, page.map((x) => x.id)), repeatLinks(store, page, f.district, windows)]);
	const items = page.map((row) => toView(row, statuses.get(row.id) ?? 'open', repeats.get(row.id)?.repeat_of ?? null));
	const last = page[page.length - 1];
	const next = rows.length > f.limit && last ? { createdAtMs: Date.parse(last.created_at), id: last.id } : null;
	return { items, next };
}

export async function statusesOf(store: Store, ids: string[]): Promise<Map<string, IncidentStatus>> {
	if (ids.length === 0) return new Map();
	const rows = await runQuery(store, 'incident_statuses', STATUS_BY_ID, { ids }, StatusRow);
	return new Map(rows.map((x) => [x.incident_id, x.status]));
}

function toView(row: Row, status: IncidentStatus, repeatOf: string | null): IncidentView {
	return {
		id: row.id,
		created_at: isoOut(row.created_at),
		district: row.district,
		category: row.category,
		source: row.source,
		lat: row.lat,
		lon: row.lon,
		address: row.address,
		text: feedText(row.text),
		severity: row.severity,
		status,
		repeat_of: repeatOf,
		deadline_at: isoOut(row.deadline_at)
	};
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
