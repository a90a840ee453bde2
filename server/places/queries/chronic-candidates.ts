/**
 * The ranking of chronic place candidates by a number: (place, category) pairs as `pair` =
 * cityHash64(place_key, category), of the reader's scope, with at least `{k}` incidents in (`{from}`,
 * `{to}`], most first, then the latest. Whole UTC days are summed from `place_days` (migration 041, kept
 * by a materialized view), the partial days at the period's edges are read from `incidents` itself (a
 * short range of its primary key), so the counts equal a count() over `incidents`. `WITH TIES` keeps
 * every pair tied with the last one, so the final order by the key strings (chronic-pairs.ts) is exact.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { HAS_PLACE } from '../windows.ts';
import { IN_SCOPE } from '../../analytics/queries/fragments.ts';
import { EDGE_ROWS, OF_CATEGORY, periodParams, type PeriodQuery } from './period.ts';

export const NAME = 'places.chronic_candidates';

const SQL = `
SELECT toString(pair) AS pair, sum(c) AS n, max(at) AS latest
FROM (
	SELECT pair, toUInt64(n) AS c, toDateTime64(latest, 3, 'UTC') AS at
	FROM place_days
	WHERE day >= {day_lo:Date} AND day < {day_hi:Date} AND ${IN_SCOPE} AND ${OF_CATEGORY}
	UNION ALL
	SELECT cityHash64(place_key, category) AS pair, toUInt64(1) AS c, created_at AS at
	FROM incidents
	WHERE ${EDGE_ROWS} AND ${HAS_PLACE} AND ${IN_SCOPE} AND ${OF_CATEGORY}
)
GROUP BY pair
HAVING n >= {k:UInt32}
ORDER BY n DESC, latest DESC
LIMIT {limit:UInt32} WITH TIES`;

const Row = z.object({ pair: z.string(), n: z.coerce.number(), latest: z.string() });
export type RankedPair = z.infer<typeof Row>;

export async function rankChronicPairs(store: Store, q: PeriodQuery & { minCount: number; limit: number }): Promise<RankedPair[]> {
	return runQuery(store, NAME, SQL, { ...periodParams(q), k: q.minCount, limit: q.limit }, Row);
}
