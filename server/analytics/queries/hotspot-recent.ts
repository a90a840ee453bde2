/**
 * Incidents of the last 24 h, city-wide, located or not: the input of hotspot detection (local zones use
 * the located ones, surges all). Text, url and author hash tell copies of one post apart (posts.ts); the
 * text is cut to what near-duplicate comparison needs.
 *
 * Bounded: the newest MAX_RECENT_POSTS only. Barnaul has about thirty incidents a day and a region a few
 * hundred; a burst of a hundred thousand in the window (a bulk load stamped "now") read whole took the main
 * thread seconds of parsing and the detection thread a minute. The caller is told when the bound cut.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.hotspot_recent';

const SQL = `
SELECT id, if(h3 = 0, '', h3ToString(h3)) AS cell, category, address, district,
	toFloat64(toUnixTimestamp64Milli(created_at)) AS created_ms,
	coalesce(lat, 0) AS lat, coalesce(lon, 0) AS lon,
	substringUTF8(text, 1, 500) AS text, url, author_hash
FROM incidents
WHERE created_at > {now:DateTime64(3)} - INTERVAL 24 HOUR AND created_at <= {now:DateTime64(3)}
ORDER BY created_at DESC, id DESC
LIMIT {limit:UInt32}`;

/** Posts one detection pass reads at most. */
export const MAX_RECENT_POSTS = 20_000;

/** One post as the detector reads it; the calibration's history rows have the same shape. */
export const HotspotPostRow = z.object({
	id: z.string(),
	cell: z.string(),
	category: z.string(),
	address: z.string(),
	district: z.string(),
	created_ms: z.number(),
	lat: z.number(),
	lon: z.number(),
	text: z.string(),
	url: z.string(),
	author_hash: z.string()
});
export type RecentRow = z.infer<typeof HotspotPostRow>;

export function queryHotspotRecent(store: Store, now: Date, limit = MAX_RECENT_POSTS): Promise<RecentRow[]> {
	return runQuery(store, NAME, SQL, { now: chTime(now), limit }, HotspotPostRow);
}
