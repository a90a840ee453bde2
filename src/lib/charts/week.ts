/** This week against last week, by category (the biggest ones, largest at the top). */
import type { WeekCategory } from '../contract/snapshot';
import { axisStyle, baseOption, type ChartContext, type ChartOption } from './theme';

export const WEEK_CATEGORIES = 6;

export function weekOption(rows: readonly WeekCategory[], ctx: ChartContext): ChartOption {
	const top = [...rows]
		.sort((a, b) => b.this_week + b.last_week - (a.this_week + a.last_week) || a.category.localeCompare(b.category))
		.slice(0, WEEK_CATEGORIES)
		// A horizontal bar chart draws its first row at the bottom.
		.reverse();
	const a = axisStyle(ctx);
	return {
		...baseOption(ctx),
		xAxis: { type: 'value', minInterval: 1, ...a },
		yAxis: { type: 'category', data: top.map((r) => ctx.categoryLabel(r.category)), ...a, axisLabel: { ...a.axisLabel, interval: 0 }, splitLine: { show: false } },
		series: [
			{ id: 'last', name: 'Прошлая неделя', type: 'bar', data: top.map((r) => r.last_week), color: '#5d6b7e', barGap: '10%' },
			{ id: 'this', name: 'Эта неделя', type: 'bar', data: top.map((r) => r.this_week), color: '#f4a261' }
		]
	};
}
