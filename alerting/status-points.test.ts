import { describe, expect, it, vi } from 'vitest';
import { config, engine, failPolls, poll, start, useEngineBed } from '../test/helpers/engine-bed.js';
import { alertStatusReadings } from './status-points.js';

useEngineBed();

/** `site/room/severity` → [active, unacknowledged], from the readings of one call. */
function table(readings: ReturnType<typeof alertStatusReadings>): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const r of readings) {
    const key = `${r.tags.site}/${r.tags.room}/${r.tags.severity}`;
    const row = (out[key] ??= [Number.NaN, Number.NaN]);
    row[r.field === 'active' ? 0 : 1] = r.value as number;
  }
  return out;
}

describe('alert_status readings', () => {
  it('count the engine\'s active alerts per configured room and severity, zeros included, acknowledged ones apart', async () => {
    const cfg = config();
    start(cfg);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.battery_temperature': 31, 'ups.output_source': 4 }));
    await failPolls(cfg, ['th-2']);
    await vi.advanceTimersByTimeAsync(1000);
    const active = engine.alerts().active();
    const inR1 = active.filter((a) => a.device === 'ups-1');
    expect(inR1.length).toBeGreaterThan(1);
    expect('error' in engine.acknowledge(inR1[0]!.id, 'zhang')).toBe(false);

    const readings = alertStatusReadings(engine.alerts().active(), cfg, 1_800_000_000_000);
    const expected: Record<string, [number, number]> = {};
    for (const room of ['r1', 'r2']) for (const severity of ['critical', 'major', 'minor', 'warning']) expected[`s1/${room}/${severity}`] = [0, 0];
    for (const alert of engine.alerts().active()) {
      const row = expected[`s1/${alert.device === 'th-2' ? 'r2' : 'r1'}/${alert.severity}`]!;
      row[0] += 1;
      if (!alert.ack) row[1] += 1;
    }
    expect(table(readings)).toEqual(expected);
    expect(Object.values(expected).some(([a, u]) => a > u)).toBe(true);
    expect(expected[`s1/r2/${active.find((a) => a.device === 'th-2' && a.rule === 'device_comms_lost')!.severity}`]![0]).toBeGreaterThan(0);
    expect(readings).toHaveLength(2 * 4 * 2);
    expect(readings[0]).toMatchObject({ measurement: 'alert_status', time: 1_800_000_000_000, tags: { site_name: '省公司', room_name: '主机房' } });
    expect(readings.find((r) => r.tags.room === 'r2')!.tags.room_name).toBe('二号机房');
  });

  it('count an alert in the room it opened in, and never count roomwatch\'s own or a removed room\'s', () => {
    const cfg = config();
    const base = { status: 'firing' as const, severity: 'major' as const };
    const alerts = [
      { ...base, device: 'roomwatch' },
      { ...base, device: 'gone', place: { site: 's9', room: 'r9' } },
      { ...base, device: 'moved', place: { site: 's1', room: 'r2' } },
      { ...base, device: 'ups-1' },
    ] as unknown as Parameters<typeof alertStatusReadings>[0];
    const rows = table(alertStatusReadings(alerts, cfg, 0));
    expect(rows['s1/r1/major']).toEqual([1, 1]);
    expect(rows['s1/r2/major']).toEqual([1, 1]);
    expect(Object.keys(rows)).toHaveLength(8);
  });
});
