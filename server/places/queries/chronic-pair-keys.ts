/**
 * The place key and category behind each ranked `pair` hash (chronic-candidates.ts), from the same rows of
 * the period: up to two distinct (place_key, category) per hash, so a hash shared by two pairs — which
 * would have merged their counts — is seen (chronic-pairs.ts then counts by the strings).
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { HAS_PLACE } from '../windows.ts';
import { IN_SCOPE } from '../../analytics/queries/fragments.ts';
import { EDGE_ROWS, OF_CATEGORY, periodParams, type PeriodQuery } from './period.ts';

export const NAME = 'places.chronic_pair_keys';

const SQL = `
SELECT toString(pair) AS pair, groupUniqArray(2)((place_key, category)) AS keys
FROM (
	SELECT pair, place_key, toString(category) AS category
	FROM place_days
	WHERE day >= {day_lo:Date} AND day < {day_hi:Date} AND pair IN {pairs:Array(UInt64)} AND ${IN_SCOPE} AND ${OF_CATEGORY}
	UNION ALL
	SELECT cityHash64(place_key, category) AS pair, place_key, toString(category) AS category
	FROM incidents
	WHERE ${EDGE_ROWS} AND ${HAS_PLACE} AND ${IN_SCOPE} AND ${OF_CATEGORY} AND cityHash64(place_key, category) IN {pairs:Array(UInt64)}
)
GROUP BY pair`;

const Row = z.object({ pair: z.string(), keys: z.array(z.tuple([z.string(), z.string()])) });

export async function chronicPairKeys(store: Store, q: PeriodQuery & { pairs: readonly string[] }): Promise<Map<string, [string, string][]>> {
	if (q.pairs.length === 0) return new Map();
	const rows = await runQuery(store, NAME, SQL, { ...periodParams(q), pairs: q.pairs.map((p) => BigInt(p)) }, Row);
	return new Map(rows.map((r) => [r.pair, r.keys]));
}
