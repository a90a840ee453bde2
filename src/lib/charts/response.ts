/** First-response time per day for 30 days: the p50 line inside a p50–p90 band. */
import type { ResponseDay } from '../contract/snapshot';
import { formatLocalDay } from '../format/time';
import { axisStyle, baseOption, type ChartContext, type ChartOption } from './theme';

/** Hours, one decimal: the axis reads «ч». */
function hours(min: number | null): number | '-' {
	return min === null ? '-' : Math.round((min / 60) * 10) / 10;
}

export function responseOption(days: readonly ResponseDay[], ctx: ChartContext): ChartOption {
	const p50 = days.map((d) => hours(d.p50_min));
	const p90 = days.map((d) => hours(d.p90_min));
	// The band is two stacked areas: an invisible base at p50 and the p90–p50 gap on top of it.
	const gap = days.map((_, i) => {
		const lo = p50[i], hi = p90[i];
		return typeof lo === 'number' && typeof hi === 'number' ? Math.max(0, Math.round((hi - lo) * 10) / 10) : '-';
	});
	const axis = axisStyle(ctx);
	return {
		...baseOption(ctx),
		xAxis: { type: 'category', data: days.map((d) => formatLocalDay(d.day)), boundaryGap: false, ...axis, splitLine: { show: false } },
		yAxis: { type: 'value', name: 'ч', nameTextStyle: { color: axis.axisLabel.color, fontSize: ctx.fontPx * 0.85 }, min: 0, ...axis },
		series: [
			{ id: 'base', type: 'line', stack: 'band', data: p50, symbol: 'none', lineStyle: { opacity: 0 }, silent: true, legendHoverLink: false, tooltip: { show: false } },
			{ id: 'band', name: '90 % ответов', type: 'line', stack: 'band', data: gap, symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: 'rgba(76, 201, 240, 0.28)' }, color: 'rgba(76, 201, 240, 0.5)' },
			{ id: 'p50', name: 'медиана', type: 'line', data: p50, symbol: 'none', connectNulls: false, lineStyle: { width: Math.max(2, ctx.fontPx / 6), color: '#4cc9f0' }, color: '#4cc9f0' }
		],
		legend: { ...baseOption(ctx).legend, data: ['медиана', '90 % ответов'] }
	};
}
