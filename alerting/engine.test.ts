import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MIN, boss, config, duty, engine, keepPolling, poll, self, start, useEngineBed } from '../test/helpers/engine-bed.js';

useEngineBed();


describe('AlertEngine', () => {
  it('groups a burst in one room into one message after group_wait', async () => {
    const cfg = config();
    start(cfg);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.battery_temperature': 31, 'ups.output_source': 4 }));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(engine.book.active().find((a) => a.rule === 'ups_battery_warm')!.notes[0]!.text).toMatch(/^superseded by ups_battery_hot/);
    expect(duty.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(duty.sent).toHaveLength(1);
    // battery_warm fires too, but the graver battery_hot on the same quantity supersedes it.
    expect(duty.names().sort()).toEqual(['ups_battery_hot:firing', 'ups_on_bypass:firing']);
  });

  it('does not notify a device’s alerts while it is not communicating', async () => {
    const cfg = config();
    start(cfg);
    for (let i = 0; i < 3; i++) {
      engine.onPoll(poll(cfg, 'meter-1', {}, false));
      await vi.advanceTimersByTimeAsync(10_000);
    }
    engine.onPoll(poll(cfg, 'meter-1', { 'power_meter.frequency': 51 }, false));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(duty.names()).toEqual(['device_comms_lost:firing']);
    expect(engine.book.active().find((a) => a.rule === 'frequency_deviation')!.notes[0]!.text).toMatch(/^inhibited: meter-1 is not communicating/);
  });

  it('folds what a mains failure explains into the on-battery incident of the room', async () => {
    const cfg = config();
    start(cfg);
    keepPolling(cfg, { 'ups-1': { 'ups.output_source': 5 } });
    await vi.advanceTimersByTimeAsync(15_000);
    engine.onPoll(poll(cfg, 'meter-1', { 'power_meter.voltage': 0 }, true, { phase: '1' }));
    await vi.advanceTimersByTimeAsync(MIN);
    engine.onPoll(poll(cfg, 'meter-1', { 'power_meter.voltage': 0 }, true, { phase: '1' }));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(duty.names()).toEqual(['ups_on_battery:firing']);
    // It joined after the incident's message went out: no message of its own, the recovery lists it.
    const folded = engine.book.active().find((a) => a.rule === 'phase_voltage_low')!;
    const [incident] = engine.incidents().active();
    expect(folded.incidentId).toBe(incident!.id);
    expect(incident!.members.map((m) => [m.id, m.role, m.listed])).toEqual([[engine.book.active().find((a) => a.rule === 'ups_on_battery')!.id, 'opener', true], [folded.id, 'member', undefined]]);
  });

  it('escalates an alert nobody acknowledged to the next tier, and not one that was', async () => {
    const cfg = config();
    start(cfg);
    keepPolling(cfg, { 'ups-1': { 'ups.output_source': 4 }, 'th-2': { 'environment.temperature': 33 } });
    await vi.advanceTimersByTimeAsync(21_000);
    const hot = engine.book.active().find((a) => a.rule === 'inlet_temperature_critical')!;
    expect(engine.acknowledge(hot.id, '值班员李工', '已到现场')).toMatchObject({ status: 'acknowledged' });
    await vi.advanceTimersByTimeAsync(15 * MIN);
    expect(boss.names()).toEqual(['ups_on_bypass:firing']);
  });

  it('repeats a critical alert that is still firing and unacknowledged', async () => {
    const cfg = config();
    start(cfg);
    keepPolling(cfg, { 'th-2': { 'environment.temperature': 33 } });
    await vi.advanceTimersByTimeAsync(21_000);
    expect(duty.names()).toEqual(['inlet_temperature_critical:firing']);
    await vi.advanceTimersByTimeAsync(30 * MIN + 15_000);
    expect(duty.names()).toEqual(['inlet_temperature_critical:firing', 'inlet_temperature_critical:firing']);
  });

  it('holds back silenced alerts and tells people when the silence ends if they still fire', async () => {
    const cfg = config();
    start(cfg);
    engine.addSilence({ matchers: { device: 'ups-1' }, startsAt: Date.now(), endsAt: Date.now() + 5 * MIN, author: '张工', reason: '更换电池' });
    keepPolling(cfg, { 'ups-1': { 'ups.output_source': 4 } });
    await vi.advanceTimersByTimeAsync(MIN);
    expect(duty.sent).toHaveLength(0);
    expect(engine.book.active()[0]!.muted).toMatch(/silenced by 张工/);
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(duty.names()).toEqual(['ups_on_bypass:firing']);
  });

  it('raises its own faults: InfluxDB unreachable for a minute, spool filling', async () => {
    const cfg = config();
    start(cfg);
    self.influxReachable = false;
    self.spoolFillPercent = 55;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(engine.book.active().map((a) => a.rule)).toEqual(['spool_filling']);
    await vi.advanceTimersByTimeAsync(45_000);
    expect(engine.book.active().map((a) => a.rule).sort()).toEqual(['influxdb_unreachable', 'spool_filling']);
    self.influxReachable = true;
    self.spoolFillPercent = 10;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(engine.book.active()).toEqual([]);
    expect(duty.names()).toEqual(['spool_filling:firing', 'influxdb_unreachable:firing', 'influxdb_unreachable:resolved', 'spool_filling:resolved']);
  });

  it('reports a stalled poller only when polls keep overrunning, not for a poll that overran once', async () => {
    const cfg = config();
    start(cfg);
    self.pollerOverruns = 1;
    await vi.advanceTimersByTimeAsync(10_000);
    self.pollerOverruns = 0;
    await vi.advanceTimersByTimeAsync(10_000);
    self.pollerOverruns = 1;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(engine.book.active()).toEqual([]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(engine.book.active().map((a) => a.rule)).toEqual(['poller_stalled']);
    self.pollerOverruns = 0;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(engine.book.active()).toEqual([]);
  });

  it('restarts without forgetting or re-notifying, also after rotating its journal into history', async () => {
    const cfg = config();
    start(cfg);
    keepPolling(cfg, { 'ups-1': { 'ups.output_source': 4 } });
    await vi.advanceTimersByTimeAsync(25_000);
    const before = engine.book.active().find((a) => a.rule === 'ups_on_bypass')!;
    expect(duty.names()).toEqual(['ups_on_bypass:firing']);
    await engine.stop();
    vi.clearAllTimers();
    start(cfg, 1);
    keepPolling(cfg, { 'ups-1': { 'ups.output_source': 4 } });
    await vi.advanceTimersByTimeAsync(25_000);
    expect(engine.book.active().find((a) => a.rule === 'ups_on_bypass')!.id).toBe(before.id);
    expect(duty.sent).toHaveLength(0);
    expect(readdirSync(join(cfg.alerting.stateDir, 'history'))).toHaveLength(1);
  });

  it('mutes alerts inside a maintenance window', async () => {
    // 02:00 UTC = 10:00 Beijing, a Saturday.
    const cfg = config(`  maintenance_windows:
    - { name: 发电机试车, matchers: { room: r2 }, weekdays: [sat], start: "09:30", end: "11:00" }`);
    start(cfg);
    engine.onPoll(poll(cfg, 'th-2', { 'environment.temperature': 33 }));
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 4 }));
    await vi.advanceTimersByTimeAsync(11_000);
    expect(duty.names()).toEqual(['ups_on_bypass:firing']);
    expect(engine.book.active().find((a) => a.device === 'th-2')!.muted).toBe('maintenance window 发电机试车');
  });
});

// A water leak that dries up by itself still needs someone to look (DOMAIN.md: latched until
// acknowledged): the template marks the rule `latch: true`.
describe('AlertEngine under wall-clock steps', () => {
  const HOUR = 60 * MIN;
  const names = () => engine.book.active().map((a) => `${a.rule}:${a.status}`).sort();

  it('does not cut a `for` short, nor call fresh data stale, when the clock jumps an hour ahead', async () => {
    const cfg = config();
    start(cfg);
    keepPolling(cfg, { 'th-2': { 'environment.temperature': 28 } });
    await vi.advanceTimersByTimeAsync(MIN);
    vi.setSystemTime(Date.now() + HOUR);
    await vi.advanceTimersByTimeAsync(MIN);
    expect(names()).toEqual([]);
    await vi.advanceTimersByTimeAsync(3 * MIN + 15_000);
    expect(names()).toEqual(['inlet_temperature_high:firing']);
  });

  it('does not end a `clear_for` early when the clock jumps ahead, nor stretch it when it jumps back', async () => {
    const cfg = config(`  rules:
    - { name: inlet_temperature_high, match: { device: th-2 }, for: 1m, clear_for: 2m }`);
    start(cfg);
    keepPolling(cfg, { 'th-2': { 'environment.temperature': 28 } });
    await vi.advanceTimersByTimeAsync(MIN + 15_000);
    expect(names()).toEqual(['inlet_temperature_high:firing']);
    vi.clearAllTimers();
    engine.stop().catch(() => undefined);
    start(cfg);
    keepPolling(cfg, { 'th-2': { 'environment.temperature': 25 } });
    await vi.advanceTimersByTimeAsync(MIN);
    vi.setSystemTime(Date.now() + HOUR);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(names()).toEqual(['inlet_temperature_high:firing']);
    vi.setSystemTime(Date.now() - 2 * HOUR);
    await vi.advanceTimersByTimeAsync(45_000);
    expect(names()).toEqual([]);
  });

  it('escalates after escalate_after of real time although the clock jumped an hour back', async () => {
    const cfg = config();
    start(cfg);
    keepPolling(cfg, { 'th-2': { 'environment.temperature': 33 } });
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(duty.names()).toEqual(['inlet_temperature_critical:firing']);
    vi.setSystemTime(Date.now() - HOUR);
    await vi.advanceTimersByTimeAsync(10 * MIN + 30_000);
    expect(boss.names()).toEqual(['inlet_temperature_critical:firing']);
  });
});

// A recovery is news only to someone told of the opening (plan §2): nobody else hears of it.
