import { describe, expect, it } from 'vitest';
import { expandMacros, intervalText, panelInterval, panelRange, parseTime, roundInterval, timeRange } from './time.js';

const NOW = Date.UTC(2026, 11, 2, 11, 30, 15, 500); // 19:30:15.500 in Shanghai
const SH = 'Asia/Shanghai';

describe('Grafana time arithmetic', () => {
  it('reads relative times, rounding in the dashboard time zone', () => {
    expect(parseTime('now', NOW, SH)).toBe(NOW);
    expect(parseTime('now-15m', NOW, SH)).toBe(NOW - 15 * 60_000);
    expect(parseTime('now-90d', NOW, SH)).toBe(NOW - 90 * 86_400_000);
    expect(parseTime('now/d', NOW, SH)).toBe(Date.UTC(2026, 11, 1, 16)); // local midnight
    expect(parseTime('now/d', NOW, SH, true)).toBe(Date.UTC(2026, 11, 2, 16) - 1);
    expect(parseTime('now/M', NOW, SH)).toBe(Date.UTC(2026, 10, 30, 16));
    expect(parseTime('now-1y/y', NOW, SH)).toBe(Date.UTC(2024, 11, 31, 16));
    expect(parseTime('now/d', NOW, 'UTC')).toBe(Date.UTC(2026, 11, 2));
    expect(() => parseTime('now-3x', NOW, SH)).toThrow(/cannot read "-3x"/);
  });

  it('applies a panel relative time and shift', () => {
    const range = timeRange('now-15m', 'now', NOW, SH);
    expect(panelRange(range, NOW, SH, '30d')).toMatchObject({ from: NOW - 30 * 86_400_000, to: NOW });
    expect(panelRange(range, NOW, SH, 'now/M')).toMatchObject({ from: Date.UTC(2026, 10, 30, 16), to: Date.UTC(2026, 11, 31, 16) - 1 });
    expect(panelRange(range, NOW, SH, undefined, '1h')).toMatchObject({ from: range.from - 3_600_000, to: NOW - 3_600_000 });
  });

  it('computes $__interval as Grafana: range over data points, rounded, floored by the min interval', () => {
    expect(roundInterval(937)).toBe(1000);
    expect(roundInterval(7_776_000)).toBe(7_200_000);
    expect(intervalText(7_200_000)).toBe('2h');
    expect(intervalText(2_592_000_000)).toBe('30d');
    expect(intervalText(500)).toBe('500ms');
    const range = timeRange('now-15m', 'now', NOW, SH);
    expect(panelInterval(range, 960)).toEqual({ ms: 1000, text: '1s' });
    expect(panelInterval(range, 960, '10s')).toEqual({ ms: 10_000, text: '10s' });
    expect(panelInterval(range, 960, '>5s')).toEqual({ ms: 5000, text: '5s' });
  });

  it('expands the backend macros', () => {
    const range = { from: 1000, to: 2000, raw: { from: 'a', to: 'b' } };
    expect(expandMacros('WHERE $timeFilter GROUP BY time($__interval) LIMIT $__interval_ms $interval', range, { ms: 10_000, text: '10s' })).toBe(
      'WHERE time >= 1000ms and time <= 2000ms GROUP BY time(10s) LIMIT 10000 10s',
    );
  });
});
