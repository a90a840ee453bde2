/** The only ECharts entry point: just the pieces the wall draws, to keep its bundle small. */
import { init, use } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, CanvasRenderer]);

export { init };
export type { ECharts } from 'echarts/core';
