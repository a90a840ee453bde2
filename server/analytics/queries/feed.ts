/**
 * The newest 50 incidents of a scope with their status as of `{now}`: `resolved` when the latest of
 * resolved/reopened is resolved, else `responded` when any response exists, else `open`.
 */
import { z } from 'zod';
import { SOURCES } from '../../../src/lib/contract/incident.ts';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { IN_SCOPE } from './fragments.ts';
import { runQuery } from './run.ts';

export const NAME = 'analytics.feed';
export const FEED_SIZE = 50;

const NEWEST = `
	SELECT id FROM incidents
	WHERE created_at <= {now:DateTime64(3)} AND ${IN_SCOPE}
	ORDER BY created_at DESC, id DESC
	LIMIT {limit:UInt32}`;

const SQL = `
SELECT
	i.id AS id, i.created_at AS created_at, i.district AS district, i.category AS category, i.source AS source,
	i.lat AS lat, i.lon AS lon, i.address AS address,
	-- the exact cut to 280 characters is made by feedText(); this only bounds what leaves the engine
	substringUTF8(i.text, 1, 300) AS text,
	toUInt8(i.severity) AS severity,
	multiIf(e.last_closing = 'resolved', 'resolved', e.has_response = 1, 'responded', 'open') AS status,
	i.deadline_at AS deadline_at
FROM incidents AS i
LEFT JOIN (
	SELECT incident_id,
		toUInt8(max(type = 'responded')) AS has_response,
		argMaxIf(type, at, type IN ('resolved', 'reopened')) AS last_closing
	FROM incident_events
	WHERE at <= {now:DateTime64(3)} AND incident_id IN (${NEWEST})
	GROUP BY incident_id
) AS e ON e.incident_id = i.id
WHERE i.id IN (${NEWEST}) AND i.created_at <= {now:DateTime64(3)}
ORDER BY i.created_at DESC, i.id DESC
LIMIT {limit:UInt32}`;

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
	status: z.enum(['open', 'responded', 'resolved']),
	deadline_at: z.string()
});
export type FeedRow = z.infer<typeof Row>;

export function queryFeed(store: Store, now: Date, district: string | null): Promise<FeedRow[]> {
	return runQuery(store, NAME, SQL, { now: chTime(now), limit: FEED_SIZE, district }, Row);
}
