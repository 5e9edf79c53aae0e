import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { fetchHistory } from './api.js';
import { formatBytes, formatPercent } from './format.js';
import type { InstanceInfo } from './types.js';

/** About the sampler's 10 minutes of history at one point a second. */
const MAX_POINTS = 600;
const COLOURS = ['#2f7ed8', '#d9534f', '#5cb85c', '#f0ad4e', '#8e44ad', '#16a085'];

/** Points by second, then by instance id: history and live ticks land in the same buckets. */
type Points = Map<number, Map<number, { cpu: number; memory: number }>>;

interface Props {
  /** The selected app's rows, with the latest figures merged in. */
  instances: InstanceInfo[];
  /** The daemon's time at the page's last tick. */
  tickAt: number | null;
}

/** CPU and memory of the selected app, one series per instance, from history then live. */
export function Charts({ instances, tickAt }: Props) {
  const ids = instances.map((i) => i.id);
  const key = ids.join(',');
  const cpuBox = useRef<HTMLDivElement>(null);
  const memBox = useRef<HTMLDivElement>(null);
  const live = useRef<{ points: Points; plots: uPlot[] }>({ points: new Map(), plots: [] });

  useEffect(() => {
    let cancelled = false;
    const points: Points = new Map();
    live.current = { points, plots: [] };
    void Promise.all(ids.map((id) => fetchHistory(id).catch(() => []))).then((histories) => {
      if (cancelled || !cpuBox.current || !memBox.current) return;
      histories.forEach((history, n) => {
        for (const p of history) addPoint(points, p.at, ids[n] as number, p.cpuPercent, p.memoryBytes);
      });
      live.current.plots = [
        makePlot(cpuBox.current, 'CPU', ids, (v) => formatPercent(v)),
        makePlot(memBox.current, 'Memory', ids, (v) => formatBytes(v)),
      ];
      redraw(live.current.plots, points, ids);
    });
    const resize = new ResizeObserver(() => {
      for (const plot of live.current.plots) plot.setSize({ width: widthOf(plot.root.parentElement), height: 160 });
    });
    if (cpuBox.current) resize.observe(cpuBox.current);
    return () => {
      cancelled = true;
      resize.disconnect();
      for (const plot of live.current.plots) plot.destroy();
      live.current.plots = [];
    };
  }, [key]);

  // One point per instance at each page tick, from the merged rows: the daemon sends only the
  // figures that changed, so the others still hold.
  useEffect(() => {
    if (tickAt === null) return;
    const { points, plots } = live.current;
    for (const info of instances) addPoint(points, tickAt, info.id, info.cpu, info.memory);
    if (plots.length > 0) redraw(plots, points, ids);
  }, [tickAt]);

  return (
    <div class="charts">
      <div class="chart" ref={cpuBox} data-chart="cpu" />
      <div class="chart" ref={memBox} data-chart="memory" />
    </div>
  );
}

function addPoint(points: Points, atMs: number, id: number, cpu: number, memory: number): void {
  const second = Math.round(atMs / 1000);
  let bucket = points.get(second);
  if (!bucket) points.set(second, (bucket = new Map()));
  bucket.set(id, { cpu, memory });
  if (points.size > MAX_POINTS) points.delete(Math.min(...points.keys()));
}

function redraw(plots: uPlot[], points: Points, ids: number[]): void {
  const xs = [...points.keys()].sort((a, b) => a - b);
  const column = (id: number, field: 'cpu' | 'memory'): Array<number | null> => xs.map((x) => points.get(x)?.get(id)?.[field] ?? null);
  plots[0]?.setData([xs, ...ids.map((id) => column(id, 'cpu'))]);
  plots[1]?.setData([xs, ...ids.map((id) => column(id, 'memory'))]);
}

function widthOf(element: Element | null): number {
  return Math.max(240, (element?.clientWidth ?? 320) - 8);
}

function makePlot(box: HTMLDivElement, title: string, ids: number[], format: (v: number) => string): uPlot {
  const options: uPlot.Options = {
    title,
    width: widthOf(box),
    height: 160,
    series: [{}, ...ids.map((id, n) => ({ label: `id ${id}`, stroke: COLOURS[n % COLOURS.length] ?? '#333', width: 1.5, spanGaps: true, value: (_u: uPlot, v: number | null) => (v === null ? '-' : format(v)) }))],
    axes: [{}, { size: 72, values: (_u: uPlot, values: number[]) => values.map(format) }],
    scales: { y: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(max * 1.15, title === 'CPU' ? 5 : 1024 * 1024)] } },
  };
  return new uPlot(options, [[]], box);
}
