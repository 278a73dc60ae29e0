import type { Limits } from './plan.js';

/**
 * A small inline line chart of the day (no script, no external resource, so mail clients show
 * it), with the first limits as dashed lines when they fall near the drawn range.
 */
export function sparkline(points: ReadonlyArray<readonly [number, number]>, start: number, end: number, limits: Limits = {}, width = 180, height = 36): string {
  if (points.length < 2) return '';
  const values = points.map(([, v]) => v);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = Math.max((hi - lo) * 0.15, Math.abs(hi) * 0.02, 0.5);
  const drawn = [limits.above, limits.below].filter((l): l is number => l !== undefined && l >= lo - 3 * pad && l <= hi + 3 * pad);
  lo = Math.min(lo - pad, ...drawn);
  hi = Math.max(hi + pad, ...drawn);
  const x = (t: number) => ((t - start) / (end - start)) * width;
  const y = (v: number) => height - ((v - lo) / (hi - lo)) * height;
  const path = points.map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const lines = drawn.map((l) => `<line x1="0" x2="${width}" y1="${y(l).toFixed(1)}" y2="${y(l).toFixed(1)}" stroke="#d9534f" stroke-width="1" stroke-dasharray="3,3"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img"><rect width="${width}" height="${height}" fill="#f7f9fc"/>${lines}<path d="${path}" fill="none" stroke="#1f6fb2" stroke-width="1.5"/></svg>`;
}
