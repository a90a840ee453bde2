/**
 * `{@attach chart(() => option)}`: creates the ECharts instance once, applies each new option in place
 * (no re-creation, no flicker), follows the element's size and disposes with it.
 */
import type { Attachment } from 'svelte/attachments';
import type { ECharts } from './echarts';
import type { ChartOption } from './theme';

/** Total data points across the series: the page exposes it so a test can tell an empty chart. */
function pointCount(option: ChartOption): number {
	const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
	return series.reduce((n, s) => n + (Array.isArray(s.data) ? s.data.length : 0), 0);
}

export function chart(option: () => ChartOption): Attachment<HTMLElement> {
	return (node) => {
		let instance = $state.raw<ECharts | null>(null);
		let gone = false;
		const resize = new ResizeObserver(() => instance?.resize());

		void import('./echarts').then(({ init }) => {
			if (gone) return;
			instance = init(node, null, { renderer: 'canvas' });
			resize.observe(node);
		});

		$effect(() => {
			const next = option();
			if (!instance) return;
			// replaceMerge: series that left the data (a category out of the top) leave the chart too.
			instance.setOption(next, { replaceMerge: ['series'], lazyUpdate: true });
			node.dataset.points = String(pointCount(next));
		});

		return () => {
			gone = true;
			resize.disconnect();
			instance?.dispose();
		};
	};
}
