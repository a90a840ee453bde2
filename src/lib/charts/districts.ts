/**
 * Districts side by side: incidents in 24 h per 10 000 residents, each bar in its tension colour.
 * Horizontal bars: district names are long and read better on the side than squeezed under columns.
 */
import type { DistrictStats } from '../contract/snapshot';
import { tensionColor } from '../map/styles';
import { axisStyle, baseOption, TEXT, type ChartContext, type ChartOption } from './theme';

export function districtsOption(rows: readonly DistrictStats[], ctx: ChartContext): ChartOption {
	// The first row of a horizontal chart is drawn at the bottom: reverse to keep the pack's order top-down.
	const shown = rows.filter((d) => d.code !== 'unknown').reverse();
	const a = axisStyle(ctx);
	return {
		...baseOption(ctx),
		legend: { show: false },
		grid: { ...baseOption(ctx).grid, top: ctx.fontPx * 0.4, right: ctx.fontPx * 2.5 },
		xAxis: { type: 'value', ...a },
		yAxis: { type: 'category', data: shown.map((d) => d.name), ...a, axisLabel: { ...a.axisLabel, interval: 0 }, splitLine: { show: false } },
		series: [
			{
				id: 'per10k',
				name: 'на 10 тыс. за 24 ч',
				type: 'bar',
				barWidth: '60%',
				data: shown.map((d) => ({
					value: d.per_10k_24h === null ? 0 : Math.round(d.per_10k_24h * 10) / 10,
					itemStyle: { color: tensionColor(d.tension) }
				})),
				label: { show: true, position: 'right', color: TEXT, fontSize: ctx.fontPx * 0.9, formatter: (p: { value: unknown }) => String(p.value).replace('.', ',') }
			}
		]
	};
}
