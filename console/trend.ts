import { svg } from './dom.js';

/**
 * A small line chart as inline SVG: no chart library, as the console loads nothing from outside
 * and needs only a trend line with its range. Gaps (null) break the line. `points` are [ms, value].
 */
export function sparkline(points: ReadonlyArray<readonly [number, number | string | null]>, options: { width?: number; height?: number; label: string; mark?: number }): SVGElement {
  const width = options.width ?? 240;
  const height = options.height ?? 48;
  const values = points.filter((p): p is readonly [number, number] => typeof p[1] === 'number' && Number.isFinite(p[1]));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'spark', role: 'img', 'aria-label': options.label });
  if (values.length < 2) return chart;
  const t0 = values[0]![0];
  const t1 = values[values.length - 1]![0];
  const lo = Math.min(...values.map((p) => p[1]));
  const hi = Math.max(...values.map((p) => p[1]));
  const x = (t: number) => (t1 === t0 ? width / 2 : ((t - t0) / (t1 - t0)) * (width - 2) + 1);
  const y = (v: number) => (hi === lo ? height / 2 : height - 2 - ((v - lo) / (hi - lo)) * (height - 4));
  let d = '';
  let pen = false;
  for (const [t, v] of points) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  }
  chart.appendChild(svg('path', { d, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5 }));
  if (options.mark !== undefined && options.mark >= t0 && options.mark <= t1) {
    chart.appendChild(svg('line', { x1: x(options.mark), x2: x(options.mark), y1: 0, y2: height, class: 'mark' }));
  }
  const range = svg('text', { x: width - 2, y: 10, 'text-anchor': 'end', class: 'range' });
  range.textContent = `${round(lo)}–${round(hi)}`;
  chart.appendChild(range);
  return chart;
}

const round = (v: number) => String(Math.round(v * 10) / 10);
