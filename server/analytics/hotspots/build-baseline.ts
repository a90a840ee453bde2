/** Turns the history aggregates (from SQL or a replay) into a Baseline, with the real span of history. */
import { Baseline } from './baseline.ts';
import type { HotspotParams } from './params.ts';

const DAY = 86_400_000;

export interface HistoryAggregates {
	/** End of the history (exclusive): `now` minus a guard band, so a burst never feeds its own baseline. */
	to: number;
	/** Earliest incident seen in the spatial history, or null when there is none. */
	firstMs: number | null;
	cells: Iterable<{ cell: string; n: number }>;
	categories: Iterable<{ category: string; n: number }>;
	hourOfWeek: Iterable<{ how: number; n: number }>;
	/** Incidents per district and category over the spatial history (surges); none on old callers. */
	areas?: Iterable<{ district: string; category: string; n: number }>;
}

export function buildBaseline(h: HistoryAggregates, params: HotspotParams, offsetMin: (ms: number) => number): Baseline {
	const spatialFrom = Math.max(h.to - params.spatialDays * DAY, h.firstMs ?? h.to);
	const categoryFrom = Math.max(h.to - params.categoryDays * DAY, h.firstMs ?? h.to);
	const hourOfWeek = new Array<number>(168).fill(0);
	for (const r of h.hourOfWeek) if (r.how >= 0 && r.how < 168) hourOfWeek[r.how] = r.n;
	return new Baseline(
		{
			cellCounts: new Map([...h.cells].map((r) => [r.cell, r.n])),
			spatialDays: (h.to - spatialFrom) / DAY,
			categoryCounts: new Map([...h.categories].map((r) => [r.category, r.n])),
			categoryHours: (h.to - categoryFrom) / 3_600_000,
			hourOfWeek,
			areaCounts: new Map([...(h.areas ?? [])].map((r) => [`${r.district}|${r.category}`, r.n]))
		},
		params,
		offsetMin
	);
}
