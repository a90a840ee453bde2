/** Incidents per hour for the last 48 hours, stacked by category (the biggest ones, the rest as «Прочее»). */
import type { HourlyCount } from '../contract/snapshot';
import { formatHour } from '../format/time';
import { axisStyle, baseOption, OTHER_COLOR, SERIES_COLORS, type ChartContext, type ChartOption } from './theme';

export const HOURS = 48;
/** More stacked colours than this cannot be told apart from across the room. */
export const TOP_CATEGORIES = 5;
const HOUR_MS = 3_600_000;
const OTHER = '__other__';

/** The 48 hour starts ending at the newest hour in the data (missing hours count zero). */
export function hourAxis(rows: readonly HourlyCount[]): number[] {
	let last = -Infinity;
	for (const r of rows) last = Math.max(last, Date.parse(r.hour));
	if (!Number.isFinite(last)) return [];
	return Array.from({ length: HOURS }, (_, i) => last - (HOURS - 1 - i) * HOUR_MS);
}

export function topCategories(rows: readonly HourlyCount[], n = TOP_CATEGORIES): string[] {
	const totals = new Map<string, number>();
	for (const r of rows) totals.set(r.category, (totals.get(r.category) ?? 0) + r.n);
	return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([c]) => c);
}

export function hourlyOption(rows: readonly HourlyCount[], ctx: ChartContext): ChartOption {
	const axis = hourAxis(rows);
	const index = new Map(axis.map((t, i) => [t, i]));
	const top = topCategories(rows);
	const keys = new Set(top);
	const series = new Map<string, number[]>([...top, OTHER].map((c) => [c, new Array<number>(axis.length).fill(0)]));
	for (const r of rows) {
		const i = index.get(Date.parse(r.hour));
		if (i === undefined) continue;
		series.get(keys.has(r.category) ? r.category : OTHER)![i]! += r.n;
	}
	const hasOther = series.get(OTHER)!.some((n) => n > 0);
	const a = axisStyle(ctx);
	return {
		...baseOption(ctx),
		xAxis: {
			type: 'category',
			data: axis.map((t) => formatHour(t, ctx.tz)),
			...a,
			axisLabel: { ...a.axisLabel, interval: 5 },
			splitLine: { show: false }
		},
		yAxis: { type: 'value', minInterval: 1, ...a },
		series: [...top, ...(hasOther ? [OTHER] : [])].map((c, k) => ({
			id: c,
			name: c === OTHER ? 'Прочее' : ctx.categoryLabel(c),
			type: 'bar' as const,
			stack: 'hour',
			barCategoryGap: '15%',
			data: series.get(c)!,
			color: c === OTHER ? OTHER_COLOR : SERIES_COLORS[k % SERIES_COLORS.length]
		}))
	};
}
