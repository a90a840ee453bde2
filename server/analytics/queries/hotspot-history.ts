/**
 * The history the calibration replays: incidents of [from, to), newest first and at most `limit` of
 * them (a big city's months stay bounded in memory; the replay then covers the span they reach).
 */
import { HotspotPostRow, type RecentRow } from './hotspot-recent.ts';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.hotspot_history';

const SQL = `
SELECT id, if(h3 = 0, '', h3ToString(h3)) AS cell, category, address, district,
	toFloat64(toUnixTimestamp64Milli(created_at)) AS created_ms,
	coalesce(lat, 0) AS lat, coalesce(lon, 0) AS lon,
	substringUTF8(text, 1, 300) AS text, url, author_hash
FROM incidents
WHERE created_at >= {from:DateTime64(3)} AND created_at < {to:DateTime64(3)}
ORDER BY created_at DESC
LIMIT {limit:UInt32}`;


export function queryHotspotHistory(store: Store, from: Date, to: Date, limit: number): Promise<RecentRow[]> {
	return runQuery(store, NAME, SQL, { from: chTime(from), to: chTime(to), limit }, HotspotPostRow);
}
