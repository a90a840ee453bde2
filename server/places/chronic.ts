/** Chronic places as the API and the screens see them: the query's rows turned into contract objects. */
import type { ChronicPlace, PlacesResponse } from '../../src/lib/contract/places.ts';
import type { Store } from '../store/client.ts';
import { isoOut } from '../analytics/time.ts';
import { chronicCandidates } from './chronic-pairs.ts';
import { queryChronicHistory, type ChronicRow } from './queries/chronic-history.ts';
import type { RepeatWindows } from './windows.ts';

export const PLACES_DEFAULT_DAYS = 90;
export const PLACES_MAX_DAYS = 366;
/** Three in the period: once is an incident, twice can be chance, three times is a pattern. */
export const PLACES_DEFAULT_MIN = 3;
export const PLACES_DEFAULT_LIMIT = 20;
export const PLACES_MAX_LIMIT = 100;

export interface ChronicRequest {
	district: string | null;
	category: string | null;
	days: number;
	minCount: number;
	limit: number;
	now: Date;
	/** Monthly history from here (default: the period itself). */
	histFrom?: Date;
	/** End of the period (default `now`): a report's week end. */
	to?: Date;
}

export async function chronicPlaces(store: Store, tz: string, windows: RepeatWindows, r: ChronicRequest): Promise<PlacesResponse> {
	const to = r.to ?? r.now;
	const from = new Date(to.getTime() - r.days * 86_400_000);
	const candidates = await chronicCandidates(store, { district: r.district, category: r.category, from, to, minCount: r.minCount, limit: r.limit });
	const rows = await queryChronicHistory(store, { district: r.district, places: candidates, from, to, histFrom: r.histFrom ?? from, tz }, windows);
	// Ranked by count, then by repeats after an answer (the answer did not fix it), then the latest.
	const items = rows
		.map(toPlace)
		.sort((a, b) => b.count - a.count || b.repeats_after_answer - a.repeats_after_answer || b.last_at.localeCompare(a.last_at) || a.place_key.localeCompare(b.place_key));
	return { district: r.district, category: r.category, days: r.days, min_count: r.minCount, items };
}

export function toPlace(r: ChronicRow): ChronicPlace {
	const counts = new Map<string, number>();
	for (const m of r.months) counts.set(m, (counts.get(m) ?? 0) + 1);
	const months = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([month, n]) => ({ month, n }));
	const kind = r.place_key.startsWith('a:') ? 'address' : r.place_key.startsWith('g:') ? 'area' : 'named';
	return {
		place_key: r.place_key,
		kind,
		address: r.place_address,
		district: r.place_district,
		category: r.category,
		lat: finite(r.mean_lat),
		lon: finite(r.mean_lon),
		count: r.n_period,
		months,
		repeats: r.repeats,
		repeats_after_answer: r.repeats_after_answer,
		repeat_after_answer_share: r.n_period > 0 ? Math.round((r.repeats_after_answer / r.n_period) * 10_000) / 10_000 : 0,
		first_at: isoOut(r.period_first),
		last_at: isoOut(r.period_last),
		last_answer: r.any_answer ? { at: isoOut(r.last_answer_at), executor: r.last_answer_by, comment: r.last_answer_text } : null
	};
}

const finite = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : null);
