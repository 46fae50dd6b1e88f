// ECharts, tree-shaken: only the charts and components the dashboards use. Import this module dynamically (dashboard routes only).
import { BarChart, GraphChart, LineChart, PieChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GraphChart, LineChart, PieChart, SankeyChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface Chart {
  set(option: object): void;
  dispose(): void;
}

/** A chart in `element`, resized with it. */
export function chart(element: HTMLElement): Chart {
  const instance = echarts.init(element, undefined, { renderer: 'canvas' });
  const observer = new ResizeObserver(() => instance.resize());
  observer.observe(element);
  return {
    set: (option) => instance.setOption(option as echarts.EChartsCoreOption, { notMerge: true }),
    dispose: () => {
      observer.disconnect();
      instance.dispose();
    },
  };
}
