/** The report's daily chart as an ECharts option: bars for this week, a line for the week before. */
import type { ReportDay } from '../contract/reports';

const WEEKDAYS = ['Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Вс'];

export function dailyChartOption(days: readonly ReportDay[]) {
	return {
		animation: false,
		textStyle: { fontFamily: 'DejaVu Sans, Noto Sans, sans-serif', color: '#222' },
		grid: { left: 36, right: 12, top: 28, bottom: 36 },
		legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
		xAxis: {
			type: 'category',
			data: days.map((d, i) => `${WEEKDAYS[i] ?? ''}\n${d.day.slice(8, 10)}.${d.day.slice(5, 7)}`),
			axisLabel: { fontSize: 10, interval: 0 }
		},
		yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 }, splitLine: { lineStyle: { color: '#e3e6ea' } } },
		series: [
			{
				name: 'Эта неделя',
				type: 'bar',
				data: days.map((d) => d.count),
				itemStyle: { color: '#2f6fb3' },
				barMaxWidth: 28,
				label: { show: true, position: 'top', fontSize: 10, color: '#333' }
			},
			{
				name: 'Прошлая неделя',
				type: 'line',
				data: days.map((d) => d.count_prev),
				itemStyle: { color: '#b07a2a' },
				lineStyle: { type: 'dashed', width: 1.5 },
				symbolSize: 5
			}
		]
	};
}
