/**
 * The newest 50 incidents of a scope with their status as of `{now}`: `resolved` when the latest of
 * resolved/reopened is resolved, else `responded` when any response exists, else `open`.
 * Two short reads instead of one join: the newest rows (first within the last RECENT_DAYS, which only
 * touches the recent partitions, and over all time only when those hold fewer than 50), then the
 * events of exactly those ids (a primary-key lookup).
 */
import { z } from 'zod';
import { SOURCES } from '../../../src/lib/contract/incident.ts';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { IN_SCOPE } from './fragments.ts';
import { runQuery } from './run.ts';

export const NAME = 'analytics.feed';
export const STATUS_NAME = 'analytics.feed_status';
export const FEED_SIZE = 50;
const RECENT_DAYS = 31;

const SQL = `
SELECT
	id, created_at, district, category, source, lat, lon, address,
	-- the exact cut to 280 characters is made by feedText(); this only bounds what leaves the engine
	substringUTF8(text, 1, 300) AS text,
	toUInt8(severity) AS severity,
	deadline_at
FROM incidents
WHERE created_at <= {now:DateTime64(3)} AND created_at >= {from:DateTime64(3)} AND ${IN_SCOPE}
ORDER BY created_at DESC, id DESC
LIMIT {limit:UInt32}`;

const STATUS_SQL = `
SELECT
	incident_id AS id,
	multiIf(argMaxIf(type, at, type IN ('resolved', 'reopened')) = 'resolved', 'resolved', max(type = 'responded') = 1, 'responded', 'open') AS status
FROM incident_events
WHERE incident_id IN {ids:Array(String)} AND at <= {now:DateTime64(3)}
GROUP BY incident_id`;

const Row = z.object({
	id: z.string(),
	created_at: z.string(),
	district: z.string(),
	category: z.string(),
	source: z.enum(SOURCES),
	lat: z.number().nullable(),
	lon: z.number().nullable(),
	address: z.string(),
	text: z.string(),
	severity: z.number(),
	deadline_at: z.string()
});
const Status = z.object({ id: z.string(), status: z.enum(['open', 'responded', 'resolved']) });
export type FeedRow = z.infer<typeof Row> & z.infer<typeof Status>;

export async function queryFeed(store: Store, now: Date, district: string | null): Promise<FeedRow[]> {
	const params = { now: chTime(now), limit: FEED_SIZE, district };
	let rows = await runQuery(store, NAME, SQL, { ...params, from: chTime(new Date(now.getTime() - RECENT_DAYS * 86_400_000)) }, Row);
	if (rows.length < FEED_SIZE) rows = await runQuery(store, NAME, SQL, { ...params, from: chTime(new Date(0)) }, Row);
	if (rows.length === 0) return [];
	const status = new Map(
		(await runQuery(store, STATUS_NAME, STATUS_SQL, { now: chTime(now), ids: rows.map((r) => r.id) }, Status)).map((s) => [s.id, s.status])
	);
	return rows.map((r) => ({ ...r, status: status.get(r.id) ?? 'open' }));
}
