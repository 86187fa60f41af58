import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount } from '../lib/format.ts';
import { cumulate, type StackedSeries } from '../lib/stack.ts';
import { useTheme } from './theme-toggle.tsx';

interface StackedChartProps {
  readonly data: StackedSeries;
  /** CSS class per key, whose --series-color the chart reads (priorities have their own). */
  readonly colorClass: (key: string) => string;
  readonly label: string;
}

/**
 * A colour of the stylesheet (`var(--x)` on an element of class `cls`) as the rgb() value
 * a canvas takes: the palette uses light-dark(), which only an element's computed colour
 * resolves.
 */
function resolveColor(host: HTMLElement, cls: string, value: string): string {
  const probe = document.createElement('span');
  probe.className = cls;
  probe.style.color = value;
  host.appendChild(probe);
  const c = getComputedStyle(probe).color;
  probe.remove();
  return c;
}

/**
 * Alerts over time as stacked bars (uPlot draws the running sums from the top of the
 * stack down, each bar over the taller one behind it); the legend and tooltip give each
 * key's own count.
 */
export function StackedChart({ data, colorClass, label }: StackedChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const theme = useTheme();

  useEffect(() => {
    const el = host.current;
    if (el === null || data.xs.length === 0) return;
    const sums = cumulate(data.counts);
    const order = data.keys.map((_, i) => data.keys.length - 1 - i);
    const axisColor = resolveColor(el, '', 'var(--fg-muted)');
    const gridColor = resolveColor(el, '', 'var(--border)');
    const bars = uPlot.paths.bars?.({ size: [0.8, 40], gap: 1 });
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: el.clientWidth < 500 ? 180 : 240,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
        {
          stroke: axisColor,
          grid: { stroke: gridColor, width: 1 },
          ticks: { stroke: gridColor },
          values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? formatCount(v) : '')),
        },
      ],
      series: [
        { label: 'Time (UTC)' },
        ...order.map((k) => {
          const key = data.keys[k] as string;
          const color = resolveColor(el, colorClass(key), 'var(--series-color)');
          return {
            label: key,
            fill: color,
            stroke: color,
            width: 0,
            ...(bars ? { paths: bars } : {}),
            points: { show: false },
            value: (_u: uPlot, _v: number | null, _s: number, i: number | null) =>
              i === null ? '–' : formatCount(data.counts[k]?.[i] ?? 0),
          };
        }),
      ],
    };
    const chart = new uPlot(opts, [data.xs as number[], ...order.map((k) => sums[k] ?? [])], el);
    const ro = new ResizeObserver(() => {
      chart.setSize({
        width: Math.max(200, el.clientWidth),
        height: el.clientWidth < 500 ? 180 : 240,
      });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.destroy();
    };
  }, [data, theme, colorClass]);

  const total = data.counts.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  return (
    <figure class="chart">
      <figcaption class="visually-hidden">{`${label}: ${formatCount(total)} alerts`}</figcaption>
      <div ref={host} class="chart-host" />
      {data.xs.length === 0 ? <p class="muted chart-empty">No alerts in this range.</p> : null}
    </figure>
  );
}
