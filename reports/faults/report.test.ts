import { describe, expect, it } from 'vitest';
import { bj, HISTORY_ROWS } from '../../test/helpers/fault-history.js';
import { dailyStats, daysToRecompute } from './daily.js';
import { parsePeriod } from './period.js';
import { faultReport, parseDimensions } from './report.js';

const H = 3_600_000;
const M = 60_000;
const limits = {
  resolveWithinMs: { critical: 4 * H, major: 8 * H, minor: 24 * H, warning: 72 * H },
  acknowledgeWithinMs: { critical: 15 * M, major: 30 * M, minor: 2 * H, warning: 8 * H },
};
const TZ = 'Asia/Shanghai';
const january = () => faultReport({ rows: HISTORY_ROWS, period: parsePeriod('2025-01', undefined), timeZone: TZ, limits, by: ['category', 'severity', 'site', 'room', 'device_type'] });

// Expected figures counted by hand from test/helpers/fault-history.ts (the comments there say which fault is which).
describe('fault report of January 2025 (Beijing time)', () => {
  it('counts each fault once: A, incident C (3 members), D, E, F, G (no fault tag), J; not H (February in Beijing)', () => {
    const { current } = january();
    expect(current.period).toEqual({ from: '2025-01-01', to: '2025-01-31', from_ms: Date.UTC(2024, 11, 31, 16), to_ms: Date.UTC(2025, 0, 31, 16) });
    expect(current).toMatchObject({ faults: 7, incidents: 1, members: 3, unacknowledged: 4 });
  });

  it('takes acknowledgement and resolution times, an incident acknowledged by its first member', () => {
    const { current } = january();
    // Acknowledged: A 600 s, C 1200 s (C2, the first member acknowledged), E 10800 s.
    expect(current).toMatchObject({ acknowledged: 3, ack_seconds_total: 12_600, mtta_seconds: 4200, acknowledged_within_limit: 1 });
    // Resolved: A 7200 s, C 18000 s (late), D 1200 s, G 600 s; J was removed, E and F still open.
    expect(current).toMatchObject({ resolved: 4, resolve_seconds_total: 27_000, mttr_seconds: 6750, resolved_within_limit: 3 });
    expect(current.resolution_rate).toBeCloseTo(3 / 7, 10);
    expect(current.acknowledged_within_rate).toBeCloseTo(1 / 7, 10);
  });

  it('compares with December 2024 (B, K) and January 2024 (L1–L3)', () => {
    const report = january();
    expect(report.previous).toMatchObject({ faults: 2, mtta_seconds: 180, mttr_seconds: 1200, period: { from: '2024-12-01', to: '2024-12-31' } });
    expect(report.year_ago).toMatchObject({ faults: 3, mtta_seconds: 90, mttr_seconds: 1830, period: { from: '2024-01-01', to: '2024-01-31' } });
    expect(report.change.previous.faults).toBeCloseTo(5 / 2, 10);
    expect(report.change.year_ago.faults).toBeCloseTo(4 / 3, 10);
    expect(report.change.previous.mtta_seconds).toBeCloseTo((4200 - 180) / 180, 10);
  });

  it('breaks down by category, severity, site, room and device type, with display names', () => {
    const { breakdowns } = january();
    const faults = (rows: Array<{ key: string; faults: number }> | undefined) => Object.fromEntries((rows ?? []).map((r) => [r.key, r.faults]));
    expect(faults(breakdowns.category)).toEqual({ power: 3, cooling: 1, environment: 1, communication: 2, roomwatch: 0 });
    expect(breakdowns.category?.map((r) => r.key)).toEqual(['power', 'cooling', 'environment', 'communication', 'roomwatch']);
    expect(faults(breakdowns.severity)).toEqual({ critical: 2, major: 2, minor: 2, warning: 1 });
    expect(faults(breakdowns.device_type)).toEqual({ ups: 3, power_meter: 1, crac: 1, environment: 2 });
    expect(breakdowns.room?.map((r) => [r.name, r.faults])).toEqual([['安吉县分公司 / 安吉县机房', 4], ['省公司 / 省公司三楼主机房', 3]]);
    const power = breakdowns.category![0]!;
    // Power: A, C, G now; B in December; L1, L3 a year ago.
    expect(power).toMatchObject({ previous_faults: 1, year_ago_faults: 2, change_previous: 2, change_year_ago: 0.5, incidents: 1, members: 3 });
  });

  it('lists noisy devices and the unacknowledged faults', () => {
    const report = january();
    const noisy = report.noisy_devices.map((d) => [d.deviceName, d.faults, d.flapping]);
    expect(noisy.slice(0, 2)).toEqual(expect.arrayContaining([['温湿度传感器', 2, 0], ['2号UPS', 2, 0]]));
    // Three flaps in January; the one of 1 February (Beijing) is not counted.
    expect(noisy[2]).toEqual(['1号精密空调', 1, 3]);
    expect(report.unacknowledged.map((f) => [f.id, f.resolved])).toEqual([['G', true], ['D', true], ['J', false], ['F', false]]);
  });

  it('splits the year boundary at Beijing midnight: B is 2024, A is 2025', () => {
    const days = faultReport({ rows: HISTORY_ROWS, period: parsePeriod('2024-12-31', '2025-01-01'), timeZone: TZ, limits, by: [] });
    expect(days.current.faults).toBe(2);
    // 同比: 2023-12-31 and 2024-01-01, which holds L1.
    expect(days.year_ago.faults).toBe(1);
    const jan1 = faultReport({ rows: HISTORY_ROWS, period: parsePeriod('2025-01-01', undefined), timeZone: TZ, limits, by: [] });
    expect(jan1.current).toMatchObject({ faults: 1, acknowledged: 1, ack_seconds_total: 600 });
    // 环比 of one day: 31 December, which holds B.
    expect(jan1.previous).toMatchObject({ faults: 1, ack_seconds_total: 300 });
  });
});

describe('fault_stats days', () => {
  it('writes one point per group and local day, at local midnight', () => {
    const points = dailyStats(HISTORY_ROWS, [{ year: 2025, month: 1, day: 10 }, { year: 2025, month: 1, day: 1 }], TZ, limits);
    expect(points).toEqual([
      {
        time: Date.UTC(2025, 0, 9, 16),
        tags: { category: 'power', severity: 'critical', site: 'prov', room: 'room-1', site_name: '省公司', room_name: '省公司三楼主机房', device_type: 'power_meter' },
        fields: { faults: 1, incidents: 1, members: 3, acknowledged: 1, ack_seconds_total: 1200, resolved: 1, resolve_seconds_total: 18_000, resolved_within_limit: 0, unacknowledged: 0 },
      },
      {
        time: Date.UTC(2024, 11, 31, 16),
        tags: { category: 'power', severity: 'critical', site: 'prov', room: 'room-1', site_name: '省公司', room_name: '省公司三楼主机房', device_type: 'ups' },
        fields: { faults: 1, incidents: 0, members: 0, acknowledged: 1, ack_seconds_total: 600, resolved: 1, resolve_seconds_total: 7200, resolved_within_limit: 1, unacknowledged: 0 },
      },
    ]);
  });

  it('recomputes today, yesterday and the days of faults acknowledged or resolved since the last pass', () => {
    // E (opened 20 January) acknowledged at 15:00 on the 20th; a pass on the 22nd that last ran before it rewrites the 20th.
    const days = daysToRecompute(HISTORY_ROWS, bj(2025, 1, 20, 14), bj(2025, 1, 22, 9), TZ, 62).map((d) => d.day);
    expect(days).toEqual([20, 21, 22]);
    // Nothing since: today and yesterday only.
    expect(daysToRecompute(HISTORY_ROWS, bj(2025, 1, 22, 8), bj(2025, 1, 22, 9), TZ, 62).map((d) => d.day)).toEqual([21, 22]);
  });
});

describe('--by', () => {
  it('defaults to category and severity and refuses unknown breakdowns', () => {
    expect(parseDimensions(undefined)).toEqual(['category', 'severity']);
    expect(parseDimensions('room,site,room')).toEqual(['room', 'site']);
    expect(parseDimensions('room,floor')).toEqual({ error: 'by: unknown breakdown "floor"; expected a comma-separated list of category, severity, site, room, device_type' });
  });
});
