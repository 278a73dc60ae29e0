import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig, type RoomwatchConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { Reading } from '../common/contracts/reading.js';
import type { AlertList } from './alerts.js';
import { AlertEngine } from './engine.js';
import type { Notifier, OutboundMessage } from './notify/notifier.js';

// The engine's stages with a fake clock: vitest's fake timers drive Date.now, group_wait timers
// and the engine's tick. Receivers record what they are given (the real transports are covered
// by the integration tests against smtp-server and HTTP receivers).
const MIN = 60_000;

function config(extra = ''): RoomwatchConfig {
  const dir = mkdtempSync(join(tmpdir(), 'engine-'));
  const file = join(dir, 'roomwatch.yaml');
  writeFileSync(
    file,
    `sites: [{ id: s1, name: 省公司, rooms: [{ id: r1, name: 主机房 }, { id: r2, name: 二号机房 }] }]
alerting:
  state_dir: alerts
  group_wait: 10s
  repeat_interval: 30m
  receivers:
    - { id: duty, type: webhook, url: "http://127.0.0.1:9/duty" }
    - { id: boss, type: webhook, url: "http://127.0.0.1:9/boss" }
  routes:
    - { receivers: [duty], escalate_after: 15m, escalate_to: [boss] }
${extra}
devices:
  - { id: ups-1, name: 1号UPS, site: s1, room: r1, template: ups-rfc1628, snmp: { host: 10.0.0.1, community: c } }
  - { id: meter-1, name: 进线电表, site: s1, room: r1, template: sdm630, modbus: { transport: tcp, host: 10.0.0.2 } }
  - { id: th-2, name: 二号机房温湿度, site: s1, room: r2, template: th-sensor-modbus, modbus: { transport: tcp, host: 10.0.0.3 } }
`,
  );
  const loaded = loadConfig(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return loaded.config;
}

class Recorder implements Notifier {
  readonly sent: Array<{ key: string; body: { alerts: Array<{ labels: Record<string, string>; status: string }> } }> = [];
  constructor(readonly id: string) {}
  send(message: OutboundMessage, key: string): Promise<void> {
    this.sent.push({ key, body: (message as { body: unknown }).body as Recorder['sent'][number]['body'] });
    return Promise.resolve();
  }
  names(): string[] {
    return this.sent.flatMap((m) => m.body.alerts.map((a) => `${a.labels.alertname}:${a.status}`));
  }
}

function poll(cfg: RoomwatchConfig, device: string, fields: Record<string, number>, ok = true, tags: Record<string, string> = {}): PollOutcome {
  const spec = cfg.devices.find((d) => d.id === device)!;
  const time = Date.now();
  const readings: Reading[] = Object.entries(fields).map(([key, value]) => {
    const [measurement, field] = key.split('.') as [string, string];
    return { measurement, field, tags: { ...spec.tags, ...tags }, value, source: 'test', time };
  });
  readings.push({ measurement: 'device_health', field: 'comms', tags: spec.tags, value: ok ? 1 : 0, source: 'test', time });
  return { device: spec, time, durationMs: 1, ok, readings };
}

/** Polls devices every 10 s with the given values, as the collector would. */
function keepPolling(cfg: RoomwatchConfig, devices: Record<string, Record<string, number>>): void {
  setInterval(() => {
    for (const [device, fields] of Object.entries(devices)) engine.onPoll(poll(cfg, device, fields));
  }, 10_000);
}

/** The engine with the alert list the assertions read, under the name they use. */
let engine: AlertEngine & { book: Pick<AlertList, 'active'> };
let duty: Recorder;
let boss: Recorder;

const self = { influxReachable: true, spoolFillPercent: 0, pollerOverruns: 0, configReloadRejected: false };

function start(cfg: RoomwatchConfig, rotateAfter?: number): void {
  const e = new AlertEngine({ config: cfg, log: pino({ level: 'silent' }), selfStatus: () => self, rotateAfter });
  engine = Object.assign(e, { book: { active: () => e.alerts().active() } });
  duty = new Recorder('duty');
  boss = new Recorder('boss');
  engine.setNotifier(duty);
  engine.setNotifier(boss);
  engine.start();
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 21, 2), toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(async () => {
  await engine.stop();
  vi.useRealTimers();
});

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
    const folded = engine.book.active().find((a) => a.rule === 'phase_voltage_low')!;
    expect(folded.notes[0]!.text).toMatch(/^folded into mains_failure incident [0-9a-f]{10} \(ups-1: UPS running on battery\)/);
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

// The system clock stepped under a running daemon (NTP fixing a wrong clock, `date -s`, a VM
// resumed): durations are measured on the monotonic clock, so the step decides nothing. Fake
// timers move Date and performance together; setSystemTime steps Date alone, as a real step does.
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
describe('AlertEngine recoveries', () => {
  it('sends nothing for an alert that resolved within group_wait, before its opening went out', async () => {
    const cfg = config();
    start(cfg);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 4 }));
    await vi.advanceTimersByTimeAsync(4_000);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 3 }));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.alerts().recent().map((a) => `${a.rule}:${a.status}`)).toEqual(['ups_on_bypass:resolved']);
    expect(duty.names()).toEqual([]);
  });

  it('sends nothing for an alert silenced all its life', async () => {
    const cfg = config();
    start(cfg);
    engine.addSilence({ matchers: { device: 'ups-1' }, startsAt: Date.now(), endsAt: Date.now() + 5 * MIN, author: '张工', reason: '更换电池' });
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 4 }));
    await vi.advanceTimersByTimeAsync(MIN);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 3 }));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.alerts().recent()[0]).toMatchObject({ rule: 'ups_on_bypass', status: 'resolved', told: [] });
    expect(duty.names()).toEqual([]);
  });

  it('sends nothing for an alert whose silence ended but which resolved before the opening went out', async () => {
    const cfg = config();
    start(cfg);
    const silence = engine.addSilence({ matchers: { device: 'ups-1' }, startsAt: Date.now(), endsAt: Date.now() + 5 * MIN, author: '张工', reason: '更换电池' });
    const ups = { 'ups.output_source': 4 };
    keepPolling(cfg, { 'ups-1': ups });
    await vi.advanceTimersByTimeAsync(MIN + 1_000);
    expect(duty.names()).toEqual([]);
    engine.expireSilence(silence.id);
    // The next tick tells people of the opening; it gathers for group_wait and the UPS is back meanwhile.
    await vi.advanceTimersByTimeAsync(2_000);
    ups['ups.output_source'] = 3;
    engine.onPoll(poll(cfg, 'ups-1', ups));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.alerts().recent().map((a) => `${a.rule}:${a.status}`)).toEqual(['ups_on_bypass:resolved']);
    expect(duty.names()).toEqual([]);
  });

  it('sends nothing for an alert inhibited all its life', async () => {
    const cfg = config();
    start(cfg);
    for (let i = 0; i < 3; i++) {
      engine.onPoll(poll(cfg, 'meter-1', {}, false));
      await vi.advanceTimersByTimeAsync(10_000);
    }
    for (let i = 0; i < 5; i++) {
      engine.onPoll(poll(cfg, 'meter-1', { 'power_meter.frequency': 51 }, false));
      await vi.advanceTimersByTimeAsync(10_000);
    }
    expect(engine.book.active().map((a) => a.rule).sort()).toEqual(['device_comms_lost', 'frequency_deviation']);
    engine.onPoll(poll(cfg, 'meter-1', { 'power_meter.frequency': 50 }, false));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.alerts().recent().map((a) => `${a.rule}:${a.status}`)).toContain('frequency_deviation:resolved');
    expect(duty.names()).toEqual(['device_comms_lost:firing']);
  });

  it('sends a recovery only to the receivers that got the opening, after a restart that added a receiver', async () => {
    const cfg = config();
    start(cfg);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 4 }));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(duty.names()).toEqual(['ups_on_bypass:firing']);
    await engine.stop();
    vi.clearAllTimers();
    // The new config routes everything to boss as well; boss never heard of the opening.
    start({ ...cfg, alerting: { ...cfg.alerting, routes: [{ receivers: ['duty', 'boss'] }] } });
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 3 }));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(duty.names()).toEqual(['ups_on_bypass:resolved']);
    expect(boss.names()).toEqual([]);
  });

  it('replays a journal written before `told`: the alerts it sent recover to their routes, the ones it held to nobody', async () => {
    // testcases/journal-v0 was taken ~110 s into this config's run; restart after that.
    await vi.advanceTimersByTimeAsync(2 * MIN);
    const cfg = config();
    mkdirSync(cfg.alerting.stateDir, { recursive: true });
    copyFileSync(new URL('state/testcases/journal-v0/journal.ndjson', import.meta.url), join(cfg.alerting.stateDir, 'journal.ndjson'));
    start(cfg);
    const ups = { 'ups.output_source': 4, 'ups.battery_temperature': 31 };
    const meter = { 'power_meter.frequency': 51 };
    keepPolling(cfg, { 'ups-1': ups, 'meter-1': meter });
    await vi.advanceTimersByTimeAsync(15_000);
    // The opening still gathering when the old process stopped goes out now.
    expect(duty.names()).toEqual(['ups_battery_hot:firing']);
    duty.sent.length = 0;
    Object.assign(ups, { 'ups.output_source': 3, 'ups.battery_temperature': 20 });
    meter['power_meter.frequency'] = 50;
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(engine.book.active()).toEqual([]);
    // Sent before (told ['*']) or since (told ['duty']): a recovery. Silenced, inhibited, superseded: none.
    expect(duty.names().sort()).toEqual(['device_comms_lost:resolved', 'ups_battery_hot:resolved']);
  });
});
