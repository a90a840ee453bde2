/**
 * Chronic place candidates: (place, category) pairs of the reader's scope with at least `minCount`
 * incidents in the period, most first, then the latest, then by key — exactly what one GROUP BY over
 * `incidents` by the two key strings gives (queries/chronic-candidates-exact.ts), but ranked over the
 * per-day table by a 64-bit hash of the pair, which is several times faster. A hash shared by two pairs
 * would merge their counts: the pairs ranked first are checked for that (chronic-pair-keys.ts) and, in
 * that case (about one in 10⁷ for a million pairs), counted the plain way instead.
 */
import type { Store } from '../store/client.ts';
import { rankChronicPairs } from './queries/chronic-candidates.ts';
import { chronicPairKeys } from './queries/chronic-pair-keys.ts';
import { queryChronicCandidatesExact, type CandidateRow } from './queries/chronic-candidates-exact.ts';
import type { PeriodQuery } from './queries/period.ts';

export type { CandidateRow };

export async function chronicCandidates(store: Store, q: PeriodQuery & { minCount: number; limit: number }): Promise<CandidateRow[]> {
	const ranked = await rankChronicPairs(store, q);
	const keys = await chronicPairKeys(store, { ...q, pairs: ranked.map((r) => r.pair) });
	const rows: CandidateRow[] = [];
	for (const r of ranked) {
		const k = keys.get(r.pair);
		if (!k || k.length !== 1) return queryChronicCandidatesExact(store, q);
		rows.push({ place_key: k[0]![0], category: k[0]![1], n: r.n, latest: r.latest });
	}
	// The engine's order, with ties at the limit broken by the key as the plain query does.
	rows.sort((a, b) => b.n - a.n || cmp(b.latest, a.latest) || cmp(a.place_key, b.place_key) || cmp(a.category, b.category));
	return rows.slice(0, q.limit);
}

/** Byte order of UTF-8, as the engine sorts strings (not the locale's). */
function cmp(a: string, b: string): number {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return Buffer.compare(x, y);
}
