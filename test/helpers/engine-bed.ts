import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, vi } from 'vitest';
import { loadConfig, type RoomwatchConfig } from '../../app/config/load.js';
import { formatIssue } from '../../common/config/yaml-source.js';
import type { PollOutcome } from '../../common/contracts/poll.js';
import type { Reading } from '../../common/contracts/reading.js';
import type { AlertList } from '../../alerting/alerts.js';
import { AlertEngine } from '../../alerting/engine.js';
import type { Notifier, OutboundMessage } from '../../alerting/notify/notifier.js';

// The engine's stages with a fake clock: vitest's fake timers drive Date.now, group_wait timers
// and the engine's tick. Receivers record what they are given (the real transports are covered
// by the integration tests against smtp-server and HTTP receivers).
export const MIN = 60_000;

export function config(extra = '', moreDevices = ''): RoomwatchConfig {
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
${moreDevices}`,
  );
  const loaded = loadConfig(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return loaded.config;
}

export class Recorder implements Notifier {
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

export function poll(cfg: RoomwatchConfig, device: string, fields: Record<string, number>, ok = true, tags: Record<string, string> = {}): PollOutcome {
  const spec = cfg.devices.find((d) => d.id === device)!;
  const time = Date.now();
  const readings: Reading[] = Object.entries(fields).map(([key, value]) => {
    const [measurement, field] = key.split('.') as [string, string];
    return { measurement, field, tags: { ...spec.tags, ...tags }, value, source: 'test', time };
  });
  readings.push({ measurement: 'device_health', field: 'comms', tags: spec.tags, value: ok ? 1 : 0, source: 'test', time });
  return { device: spec, time, durationMs: 1, ok, readings };
}

/** The devices fail `polls` polls in a row, 10 s apart: enough (comms_lost_polls: 3) to lose them. */
export async function failPolls(cfg: RoomwatchConfig, devices: readonly string[], polls = 3): Promise<void> {
  for (let i = 0; i < polls; i++) {
    for (const device of devices) engine.onPoll(poll(cfg, device, {}, false));
    await vi.advanceTimersByTimeAsync(10_000);
  }
}

/** Polls devices every 10 s with the given values, as the collector would. */
export function keepPolling(cfg: RoomwatchConfig, devices: Record<string, Record<string, number>>): void {
  setInterval(() => {
    for (const [device, fields] of Object.entries(devices)) engine.onPoll(poll(cfg, device, fields));
  }, 10_000);
}

/** The engine with the alert list the assertions read, under the name they use. */
export let engine: AlertEngine & { book: Pick<AlertList, 'active'> };
export let duty: Recorder;
export let boss: Recorder;

export const self = { influxReachable: true, spoolFillPercent: 0, pollerOverruns: 0, configReloadRejected: false };

export function start(cfg: RoomwatchConfig, rotateAfter?: number): void {
  const e = new AlertEngine({ config: cfg, log: pino({ level: 'silent' }), selfStatus: () => self, rotateAfter });
  engine = Object.assign(e, { book: { active: () => e.alerts().active() } });
  duty = new Recorder('duty');
  boss = new Recorder('boss');
  engine.setNotifier(duty);
  engine.setNotifier(boss);
  engine.start();
}

/** Fake timers (Date, performance and timers) from 2026-11-21 10:00 Beijing, a fresh self status, and the engine stopped after each test. */
export function useEngineBed(): void {
  beforeEach(() => {
    Object.assign(self, { influxReachable: true, spoolFillPercent: 0, pollerOverruns: 0, configReloadRejected: false });
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 21, 2), toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  });
  afterEach(async () => {
    await engine.stop();
    vi.useRealTimers();
  });
}
