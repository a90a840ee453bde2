/**
 * Assembles the numbers of one week's report from the query modules: the city and each district of
 * the city pack. Only stored data of the week (and, for comparisons, the weeks before) goes in.
 */
import { queryHotspotSurges } from '../analytics/queries/hotspot-surges.ts';
import type { CityPublic } from '../../src/lib/contract/city.ts';
import type {
	ReportData,
	ReportHotspotCell,
	ReportScopeData,
	ReportSummary
} from '../../src/lib/contract/reports.ts';
import type { Store } from '../store/client.ts';
import { BASELINE_WEEKS, weekHotCells, type WeekHotCellRow } from './queries/week-hot-cells.ts';
import { weekCategories } from './queries/week-categories.ts';
import { weekDaily } from './queries/week-daily.ts';
import { weekOverdue } from './queries/week-overdue.ts';
import { weekSources } from './queries/week-sources.ts';
import { weekSummary, type WeekSummaryRow } from './queries/week-summary.ts';
import { shiftWeek, type IsoWeek } from './week.ts';
import { weekRootCauses } from '../places/report.ts';
import { acceptanceTimes } from '../alerts/queries/acceptance-times.ts';
import { acceptanceOf } from '../alerts/acceptance-stats.ts';

/** The most frequent value of a sorted list; ties go to the first in sort order. */
export function mode(sorted: readonly string[]): string {
	let best = '';
	let bestN = 0;
	for (let i = 0; i < sorted.length; ) {
		let j = i;
		while (j < sorted.length && sorted[j] === sorted[i]) j++;
		if (j - i > bestN) {
			best = sorted[i] ?? '';
			bestN = j - i;
		}
		i = j;
	}
	return best;
}

function summaryOf(row: WeekSummaryRow | undefined): ReportSummary {
	if (!row) {
		return { count: 0, count_prev: 0, responded: 0, p50_min: null, p90_min: null, due: 0, in_time: 0, sla_share: null, overdue: 0 };
	}
	const { scope: _scope, ...s } = row;
	return { ...s, sla_share: s.due === 0 ? null : s.in_time / s.due };
}

function hotCell(row: WeekHotCellRow): ReportHotspotCell {
	return {
		cell: row.cell,
		district: mode(row.districts),
		count: row.count,
		expected: row.expected,
		category: mode(row.categories),
		place: mode(row.addresses)
	};
}

function groupBy<T, K>(rows: readonly T[], key: (r: T) => K): Map<K, T[]> {
	const m = new Map<K, T[]>();
	for (const r of rows) {
		const k = key(r);
		const list = m.get(k);
		if (list) list.push(r);
		else m.set(k, [r]);
	}
	return m;
}

export async function buildReportData(store: Store, city: CityPublic, week: IsoWeek, tz: string): Promise<ReportData> {
	const p = { start: week.start, end: week.end, prev_start: shiftWeek(week, 1, tz).start, tz };
	// One query at a time: the embedded engine serialises them anyway, and the wall keeps its share.
	const summary = await weekSummary(store, p);
	const categories = groupBy(await weekCategories(store, p), (r) => r.scope);
	const sources = groupBy(await weekSources(store, p), (r) => r.scope);
	const daily = groupBy(await weekDaily(store, p), (r) => r.scope);
	const hot = groupBy(await weekHotCells(store, { ...p, base_start: shiftWeek(week, BASELINE_WEEKS, tz).start }), (r) => r.scope);
	const overdue = groupBy(await weekOverdue(store, p), (r) => r.district);
	const roots = await weekRootCauses(store, city, week, p.prev_start, tz);
	const surges = await queryHotspotSurges(store, week.start, week.end);
	const codes = ['', ...city.districts.map((d) => d.code)];
	const accepted = await acceptanceTimes(store, { from: week.start, to: week.end, districts: codes });
	const acceptedPrev = await acceptanceTimes(store, { from: p.prev_start, to: week.start, districts: codes });

	const scope = (code: string | null, name: string): ReportScopeData => {
		const key = code ?? '';
		const days = new Map((daily.get(key) ?? []).map((d) => [d.day, d]));
		const worst = code === null ? [] : (overdue.get(code) ?? []);
		return {
			district: code,
			name,
			summary: summaryOf(summary.find((r) => r.scope === key)),
			categories: (categories.get(key) ?? []).map(({ category, this_week, last_week }) => ({ category, this_week, last_week })),
			sources: (sources.get(key) ?? []).map(({ source, count }) => ({ source, count })),
			daily: week.days.map((day) => ({ day, count: days.get(day)?.count ?? 0, count_prev: days.get(day)?.count_prev ?? 0 })),
			hotspots: (hot.get(key) ?? []).map(hotCell),
			overdue_worst: worst.map(({ district: _d, ...rest }) => rest),
			...roots(code),
			acceptance: {
				this_week: acceptanceOf(accepted.find((r) => r.district === key)),
				last_week: acceptanceOf(acceptedPrev.find((r) => r.district === key))
			},
			// a district sees its own surges and the city-wide ones
			surges: surges
				.filter((r) => code === null || r.district === code || r.district === '')
				.map((r) => ({ id: r.id, district: r.district || null, category: r.category, count: r.count, expected: r.expected, started_at: new Date(r.started_ms).toISOString() }))
		};
	};

	return {
		week: week.week,
		from: week.days[0] ?? '',
		to: week.days[6] ?? '',
		tz,
		city: city.name,
		scopes: [scope(null, city.name), ...city.districts.map((d) => scope(d.code, d.name))],
		category_labels: Object.fromEntries(city.categories.map((c) => [c.code, c.label]))
	};
}
