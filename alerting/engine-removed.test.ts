import { describe, expect, it, vi } from 'vitest';
import type { RoomwatchConfig } from '../app/config/load.js';
import { MIN, config, duty, engine, keepPolling, poll, self, start, useEngineBed } from '../test/helpers/engine-bed.js';

useEngineBed();

const UPS_2 = '  - { id: ups-2, name: 2号UPS, site: s1, room: r1, template: ups-rfc1628, snmp: { host: 10.0.0.5, community: c } }';

/** The same daemon's next configuration: what `extra`/`devices` say, on the journal of `before`. */
function reloaded(before: RoomwatchConfig, extra = '', devices = ''): RoomwatchConfig {
  const next = config(extra, devices);
  return { ...next, alerting: { ...next.alerting, stateDir: before.alerting.stateDir } };
}

/** Stops the engine and starts a new one on `next`, as a SIGHUP reload or a restart does. */
async function restartWith(next: RoomwatchConfig): Promise<void> {
  await engine.stop();
  vi.clearAllTimers();
  start(next);
}

/** ups-2 stops answering until its comms-lost alert has gone out. */
async function silentUps2(): Promise<RoomwatchConfig> {
  const cfg = config('', UPS_2);
  start(cfg);
  for (let i = 0; i < 3; i++) {
    engine.onPoll(poll(cfg, 'ups-2', {}, false));
    await vi.advanceTimersByTimeAsync(10_000);
  }
  await vi.advanceTimersByTimeAsync(15_000);
  expect(duty.names()).toEqual(['device_comms_lost:firing']);
  return cfg;
}

const recentOf = (rule: string) => engine.alerts().recent().find((a) => a.rule === rule);

describe('AlertEngine after a reload that removed devices or rules', () => {
  it('resolves the alerts of a removed device at once, as removed, and tells those told of them once', async () => {
    const before = await silentUps2();
    const lost = engine.book.active()[0]!;
    await restartWith(reloaded(before));
    expect(engine.book.active()).toEqual([]);
    expect(recentOf('device_comms_lost')).toMatchObject({ id: lost.id, status: 'resolved', resolution: { reason: 'removed' } });
    await vi.advanceTimersByTimeAsync(MIN);
    expect(duty.names()).toEqual(['device_comms_lost:resolved']);
    // Told where it was, though the configuration no longer names the device.
    expect(duty.sent[0]!.body.alerts[0]!.labels).toMatchObject({ site: 's1', room: 'r1', device: 'ups-2' });
    // Another restart on the same configuration: nothing left to resolve, nothing sent again.
    await restartWith(reloaded(before));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(duty.sent).toEqual([]);
    expect(engine.book.active()).toEqual([]);
  });

  it('resolves an alert whose rule the new configuration disables, and keeps the device’s others', async () => {
    const cfg = config();
    start(cfg);
    keepPolling(cfg, { 'ups-1': { 'ups.output_source': 4, 'ups.battery_temperature': 41 } });
    await vi.advanceTimersByTimeAsync(25_000);
    const bypass = engine.book.active().find((a) => a.rule === 'ups_on_bypass')!;
    expect(duty.names().sort()).toEqual(['ups_battery_hot:firing', 'ups_on_bypass:firing']);
    await restartWith(reloaded(cfg, `  rules:
    - { name: ups_on_bypass, match: { device: ups-1 }, disabled: true }`));
    keepPolling(cfg, { 'ups-1': { 'ups.output_source': 4, 'ups.battery_temperature': 41 } });
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.book.active().map((a) => a.rule).sort()).toEqual(['ups_battery_hot', 'ups_battery_warm']);
    expect(recentOf('ups_on_bypass')).toMatchObject({ id: bypass.id, resolution: { reason: 'removed' } });
    // The rule is gone: still reading bypass raises nothing new.
    expect(duty.names()).toEqual(['ups_on_bypass:resolved']);
  });

  it('resolves in silence a removed device’s alert nobody was told of, and tells of the one they were', async () => {
    const cfg = config();
    start(cfg);
    for (let i = 0; i < 3; i++) {
      engine.onPoll(poll(cfg, 'meter-1', {}, false));
      await vi.advanceTimersByTimeAsync(10_000);
    }
    // Held back while meter-1 is not communicating: nobody is told of it.
    engine.onPoll(poll(cfg, 'meter-1', { 'power_meter.frequency': 51 }, false));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.book.active().map((a) => a.rule).sort()).toEqual(['device_comms_lost', 'frequency_deviation']);
    expect(duty.names()).toEqual(['device_comms_lost:firing']);
    const next = reloaded(cfg);
    await restartWith({ ...next, devices: next.devices.filter((d) => d.id !== 'meter-1') });
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.book.active()).toEqual([]);
    expect(engine.alerts().recent().map((a) => [a.rule, a.resolution?.reason]).sort()).toEqual([['device_comms_lost', 'removed'], ['frequency_deviation', 'removed']]);
    expect(duty.names()).toEqual(['device_comms_lost:resolved']);
  });

  it('keeps roomwatch’s own alerts: roomwatch is no configured device, and still has its rules', async () => {
    const cfg = config();
    start(cfg);
    self.spoolFillPercent = 60;
    await vi.advanceTimersByTimeAsync(15_000);
    const spool = engine.book.active().find((a) => a.rule === 'spool_filling')!;
    await restartWith(reloaded(cfg));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(engine.book.active().find((a) => a.rule === 'spool_filling')).toMatchObject({ id: spool.id, status: 'firing' });
  });
});
