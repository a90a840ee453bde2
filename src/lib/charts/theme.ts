/** The dark wall theme for ECharts options, sized from the screen: numbers read from 5 m on 1080p and 4K. */
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption } from 'echarts/components';

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption>;

export interface ChartContext {
	/** The city's time zone for every time label. */
	tz: string;
	/** Base font size in CSS pixels (the page derives it from the screen height). */
	fontPx: number;
	/** Category code → short label. */
	categoryLabel: (code: string) => string;
}

export const TEXT = '#dfe7f2';
export const MUTED = '#8fa0b6';
export const GRID_LINE = '#2a3442';
export const FONT_FAMILY = "'Inter', 'Segoe UI', 'Roboto', 'Noto Sans', 'DejaVu Sans', sans-serif";

/** Distinct on a dark background; «Прочее» always last and grey. */
export const SERIES_COLORS = ['#4cc9f0', '#f4a261', '#90be6d', '#f94144', '#b392f0', '#f9c74f', '#43aa8b', '#ff8fab'];
export const OTHER_COLOR = '#6c7a89';

export function baseOption(ctx: ChartContext): ChartOption {
	const f = ctx.fontPx;
	return {
		backgroundColor: 'transparent',
		// Drawn in once; updates (at most once a second) replace values without transitions: no flicker, and
		// no extra frames of canvas work while the city is busy.
		animationDuration: 300,
		animationDurationUpdate: 0,
		// A real family: canvas text ignores CSS inheritance, and an invalid font string falls back to 10 px.
		textStyle: { color: TEXT, fontSize: f, fontFamily: FONT_FAMILY },
		grid: { left: f * 0.6, right: f * 0.8, top: f * 2.4, bottom: f * 0.4, containLabel: true },
		legend: {
			top: 0,
			left: 0,
			itemWidth: f,
			itemHeight: f * 0.7,
			itemGap: f * 0.6,
			textStyle: { color: TEXT, fontSize: f * 0.8 },
			inactiveColor: MUTED
		}
	};
}

export function axisStyle(ctx: ChartContext) {
	return {
		axisLabel: { color: MUTED, fontSize: ctx.fontPx * 0.9 },
		axisLine: { lineStyle: { color: GRID_LINE } },
		axisTick: { show: false },
		splitLine: { lineStyle: { color: GRID_LINE } },
		// Charts on the wall are short: three or four value ticks read better than eight.
		splitNumber: 3
	};
}
