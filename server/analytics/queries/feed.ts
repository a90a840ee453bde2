/**
 * The newest 50 incidents of a scope with their status as of `{now}`: `resolved` when the latest of
 * resolved/reopened is resolved, else `responded` when any response exists, else `open`.
 * One read: the newest rows (first within the last RECENT_DAYS, which only touches the recent
 * partitions, and over all time only when those hold fewer than 50) joined to the events of exactly
 * those ids (a primary-key lookup).
 */
import { z } from 'zod';
import { SOURCES } from '../../../src/lib/contract/incident.ts';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { IN_SCOPE } from './fragments.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.feed';
export const FEED_SIZE = 50;
const RECENT_DAYS = 31;

/** The newest rows of the scope since {from}, each with its status: one round trip. */
const SQL = `
WITH newest AS (
	SELECT
		id, created_at, district, category, source, lat, lon, address,
		-- the exact cut to 280 characters is made by feedText(); this only bounds what leaves the engine
		substringUTF8(text, 1, 300) AS text,
		toUInt8(severity) AS severity,
		deadline_at, place_key
	FROM incidents
	WHERE created_at <= {now:DateTime64(3)} AND created_at >= {from:DateTime64(3)} AND ${IN_SCOPE}
	ORDER BY created_at DESC, id DESC
	LIMIT {limit:UInt32}
)
SELECT n.id AS id, n.created_at AS created_at, n.district AS district, n.category AS category, n.source AS source,
	n.lat AS lat, n.lon AS lon, n.address AS address, n.text AS text, n.severity AS severity, n.deadline_at AS deadline_at, n.place_key AS place_key,
	if(s.known = 1, s.status, 'open') AS status
FROM newest AS n
LEFT JOIN (
	SELECT
		incident_id,
		multiIf(argMaxIf(type, at, type IN ('resolved', 'reopened')) = 'resolved', 'resolved', max(type = 'responded') = 1, 'responded', 'open') AS status,
		toUInt8(1) AS known
	FROM incident_events
	WHERE incident_id IN (SELECT id FROM newest) AND at <= {now:DateTime64(3)}
	GROUP BY incident_id
) AS s ON s.incident_id = n.id
ORDER BY created_at DESC, id DESC`;

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
	deadline_at: z.string(),
	place_key: z.string(),
	status: z.enum(['open', 'responded', 'resolved'])
});
export type FeedRow = z.infer<typeof Row>;

export async function queryFeed(store: Store, now: Date, district: string | null): Promise<FeedRow[]> {
	const params = { now: chTime(now), limit: FEED_SIZE, district };
	const rows = await runQuery(store, NAME, SQL, { ...params, from: chTime(new Date(now.getTime() - RECENT_DAYS * 86_400_000)) }, Row);
	if (rows.length >= FEED_SIZE) return rows;
	// A quiet scope: look further back than the recent partitions.
	return runQuery(store, NAME, SQL, { ...params, from: chTime(new Date(0)) }, Row);
}
