/**
 * Chronic place candidates counted the plain way: (place, category) pairs of the reader's scope with at
 * least `{k}` incidents in (`{from}`, `{to}`], most first, by one GROUP BY over the period's rows and the
 * two key strings. What the fast path (chronic-candidates.ts over `place_days`) must equal; it is used
 * when two of the pairs that path ranks first share a hash (chronic-pairs.ts), and by the tests as the
 * reference.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { chTime } from '../../analytics/time.ts';
import { IN_SCOPE } from '../../analytics/queries/fragments.ts';
import { HAS_PLACE } from '../windows.ts';

export const NAME = 'places.chronic_candidates_exact';

const SQL = `
SELECT place_key, category, count() AS n, max(created_at) AS latest
FROM incidents
WHERE created_at > {from:DateTime64(3)} AND created_at <= {to:DateTime64(3)}
  AND ${HAS_PLACE} AND ${IN_SCOPE}
  AND ({category:Nullable(String)} IS NULL OR category = {category:Nullable(String)})
GROUP BY place_key, category
HAVING n >= {k:UInt32}
ORDER BY n DESC, latest DESC, place_key, category
LIMIT {limit:UInt32}`;

const Row = z.object({ place_key: z.string(), category: z.string(), n: z.coerce.number(), latest: z.string() });
export type CandidateRow = z.infer<typeof Row>;

export async function queryChronicCandidatesExact(
	store: Store,
	q: { district: string | null; category: string | null; from: Date; to: Date; minCount: number; limit: number }
): Promise<CandidateRow[]> {
	return runQuery(store, NAME, SQL, { district: q.district, category: q.category, from: chTime(q.from), to: chTime(q.to), k: q.minCount, limit: q.limit }, Row);
}
