import { useEffect, useRef } from "react";
import * as echarts from "echarts/core";
import { BarChart as Bars } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([Bars, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface Series {
  name: string;
  values: number[];
}

/** A (stacked) bar chart; SVG, so it renders in any browser and in tests. */
export function BarChart({ categories, series, stacked, height = 280, label }: { categories: string[]; series: Series[]; stacked?: boolean; height?: number; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: series.length > 1 ? { top: 0, type: "scroll" } : undefined,
      grid: { left: 8, right: 8, bottom: 8, top: series.length > 1 ? 40 : 16, containLabel: true },
      // Long Vietnamese labels slant rather than overlap.
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, rotate: categories.length * Math.max(...categories.map((c) => c.length)) > 60 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map((s) => ({ type: "bar", name: s.name, data: s.values, stack: stacked ? "total" : undefined })),
    });
    const resize = () => chart.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.dispose();
    };
  }, [categories, series, stacked]);
  return <div ref={ref} role="img" aria-label={label} style={{ width: "100%", height }} />;
}
