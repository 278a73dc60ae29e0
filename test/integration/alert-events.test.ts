import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEngine } from '../../alerting/engine.js';
import { alertEventRecord } from '../../alerting/events-out.js';
import { Directory } from '../../alerting/notify/directory.js';
import { loadConfig, type RoomwatchConfig } from '../../app/config/load.js';
import { InfluxSink } from '../../collector/sink/influx.js';
import { Spool } from '../../collector/sink/spool.js';
import { formatIssue } from '../../common/config/yaml-source.js';
import type { AlertEventRecord } from '../../common/contracts/alert-event.js';
import type { PollOutcome } from '../../common/contracts/poll.js';
import type { Reading } from '../../common/contracts/reading.js';
import { TestInfluxd } from '../../mocks/influxd.js';
import { eventually } from '../helpers/processes.js';

// Alert events through the real engine and the real sink into a real influxd: what people will
// count faults with must hold one row per fact, in its own retention policy.
const log = pino({ level: 'silent' });
const influxd = new TestInfluxd();
const MIN = 60_000;

function config(): RoomwatchConfig {
  const dir = mkdtempSync(join(tmpdir(), 'alert-events-'));
  const file = join(dir, 'roomwatch.yaml');
  writeFileSync(
    file,
    `sites: [{ id: hz, name: 省公司, labels: { region: east, owner: noc }, rooms: [{ id: r3, name: 三楼主机房, labels: { floor: "3" } }] }]
alerting:
  state_dir: alerts
  receivers: [{ id: duty, type: webhook, url: "http://127.0.0.1:9/duty" }]
  routes: [{ receivers: [duty] }]
devices:
  - { id: meter-1, name: 进线电表, site: hz, room: r3, template: sdm630, labels: { feed: A }, modbus: { transport: tcp, host: 10.0.0.2 } }
`,
  );
  const loaded = loadConfig(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return loaded.config;
}

/** The config's influxdb settings (events_retention left at its default) aimed at the test influxd. */
function sinkFor(cfg: RoomwatchConfig, database: string): InfluxSink {
  const settings = { ...cfg.influx, url: influxd.url, database, flushIntervalMs: 100 };
  return new InfluxSink(settings, new Spool(mkdtempSync(join(tmpdir(), 'spool-')), 1 << 20, log), log);
}

/** One poll of the meter: the same voltage on phases 1, 2 and 3. */
function meterPoll(cfg: RoomwatchConfig, volts: number, time: number): PollOutcome {
  const spec = cfg.devices.find((d) => d.id === 'meter-1')!;
  const readings: Reading[] = ['1', '2', '3'].map((phase) => ({ measurement: 'power_meter', field: 'voltage', tags: { ...spec.tags, phase }, value: volts, source: 'test', time }));
  readings.push({ measurement: 'device_health', field: 'comms', tags: { ...spec.tags }, value: 1, source: 'test', time });
  return { device: spec, time, durationMs: 1, ok: true, readings };
}

/** The first instants of the Beijing-time month holding `at` and of the next, as InfluxQL time literals. */
function beijingMonth(at: number): [string, string] {
  const local = new Date(at + 8 * 3_600_000);
  const literal = (year: number, month: number) => `${String(year + Math.floor(month / 12))}-${String((month % 12) + 1).padStart(2, '0')}-01T00:00:00+08:00`;
  return [literal(local.getUTCFullYear(), local.getUTCMonth()), literal(local.getUTCFullYear(), local.getUTCMonth() + 1)];
}

interface EventRow {
  time: number;
  alert_id: string;
  event: string;
  phase: string;
  category: string;
  site_name: string;
  room_name: string;
  device_name: string;
  region: string;
  owner: string;
  floor: string;
  feed: string;
}

beforeAll(() => influxd.start());
afterAll(() => influxd.destroy());

describe('alert_events in a real influxd', () => {
  it('stores three per-phase alerts opened in one millisecond as three events, in RP events, with the site labels and names', async () => {
    const cfg = config();
    const sink = sinkFor(cfg, 'events_phases');
    sink.start();
    // A whole millisecond an hour ago: the engine's clock, so every event of a poll is at that instant.
    let now = Math.floor(Date.now() / 1000) * 1000 - 60 * MIN;
    const engine = new AlertEngine({ config: cfg, log, now: () => now, writeEvent: (record) => sink.writeEvent(record) });
    engine.start();
    try {
      engine.onPoll(meterPoll(cfg, 240, now));
      now += MIN + 1000; // phase_voltage_high holds for 1 min
      engine.onPoll(meterPoll(cfg, 240, now));
      const opened = engine.alerts().active().filter((a) => a.rule === 'phase_voltage_high');
      expect(opened.map((a) => a.labels.phase).sort()).toEqual(['1', '2', '3']);
      // Acknowledged in the same millisecond it opened: its own event, not a replacement of the opening.
      engine.acknowledge(opened[0]!.id, 'li', 'checking the incomer');

      const rows = await eventually(async () => {
        const r = await influxd.query<EventRow>('events_phases', `SELECT * FROM events.alert_events WHERE rule = 'phase_voltage_high'`);
        return r.length === 4 ? r : undefined;
      }, 10_000, 'four phase_voltage_high events');
      const openedRows = rows.filter((r) => r.event === 'opened');
      expect(openedRows.map((r) => r.phase).sort()).toEqual(['1', '2', '3']);
      expect(new Set(openedRows.map((r) => r.alert_id))).toEqual(new Set(opened.map((a) => a.id)));
      expect(new Set(rows.map((r) => r.time))).toEqual(new Set([now]));
      expect(rows.filter((r) => r.event === 'acknowledged').map((r) => r.alert_id)).toEqual([opened[0]!.id]);
      for (const row of rows) {
        expect(row).toMatchObject({ category: 'power', site_name: '省公司', room_name: '三楼主机房', device_name: '进线电表', region: 'east', owner: 'noc', floor: '3', feed: 'A' });
      }

      // The README's fault count, for the month (Beijing time) these events fall in, and its per-day form.
      const [start, end] = beijingMonth(now);
      const month = await influxd.query<{ count: number }>('events_phases', `SELECT count(alert_id) FROM "events"."alert_events"
        WHERE event = 'opened' AND category = 'power' AND time >= '${start}' AND time < '${end}'`);
      expect(month.map((r) => r.count)).toEqual([3]);
      const days = await influxd.query<{ count: number | null }>('events_phases', `SELECT count(alert_id) FROM "events"."alert_events"
        WHERE event = 'opened' AND category = 'power' AND time >= '${start}' AND time < '${end}' GROUP BY time(1d) tz('Asia/Shanghai')`);
      expect(days.map((r) => r.count ?? 0).reduce((a, b) => a + b, 0)).toBe(3);

      const policies = await influxd.query<{ name: string; duration: string; default: boolean }>('events_phases', 'SHOW RETENTION POLICIES');
      expect(policies.find((p) => p.name === 'events')).toMatchObject({ duration: '43800h0m0s', default: false });
      expect(policies.find((p) => p.name === 'raw')).toMatchObject({ default: true });
      expect(await influxd.query('events_phases', 'SELECT * FROM raw.alert_events')).toEqual([]);
      const cqs = await influxd.query<{ query: string }>('events_phases', 'SHOW CONTINUOUS QUERIES');
      expect(cqs.map((q) => q.query).join('\n')).not.toContain('"events"');
    } finally {
      await engine.stop();
      await sink.stop();
    }
  });

  it('keeps events of one series in one millisecond apart, and a re-written event overwrites itself', async () => {
    const cfg = config();
    const info = new Directory(cfg).get('meter-1');
    const at = Date.now() - 30 * MIN;
    // Two alerts of one series in one millisecond (the first resolved, the next opened, say):
    // everything a tag shows is equal; only the alert differs.
    const alert = (id: string) => ({
      id, key: 'phase_voltage_high|meter-1|phase=1', rule: 'phase_voltage_high', severity: 'minor' as const, summary: { en: 'x', 'zh-CN': 'x' }, source: 't',
      device: 'meter-1', labels: { phase: '1' }, status: 'firing' as const, flapping: false, value: 240, threshold: '> 235.4',
      measurement: 'power_meter', field: 'voltage', firingSince: at, notes: [], tiers: [],
    });
    const records: AlertEventRecord[] = ['0a0a0a0a0a', '0b0b0b0b0b'].map((id) => alertEventRecord({ kind: 'opened', alert: alert(id), at }, info, (t) => t));
    expect(records[0]!.tags).toEqual(records[1]!.tags);

    const count = async () => (await influxd.query<{ count: number }>('events_same_ms', 'SELECT count(alert_id) FROM events.alert_events')).at(0)?.count;
    const first = sinkFor(cfg, 'events_same_ms');
    first.start();
    for (const record of records) first.writeEvent(record);
    await eventually(async () => (await count()) === 2, 10_000, 'two events');
    await first.stop();

    // After a crash the spool or the engine writes the same facts again (rebuilt from the same
    // alerts): they land on their own points, so the count stays.
    const second = sinkFor(cfg, 'events_same_ms');
    second.start();
    for (const id of ['0a0a0a0a0a', '0b0b0b0b0b']) second.writeEvent(alertEventRecord({ kind: 'opened', alert: alert(id), at }, info, (t) => t));
    await eventually(() => Promise.resolve(second.status().spooledPoints === 0 && second.status().writtenPoints === 2), 10_000, 'the re-write');
    await second.stop();
    expect(await count()).toBe(2);
    const rows = await influxd.query<{ time: number; alert_id: string }>('events_same_ms', 'SELECT alert_id FROM events.alert_events');
    expect(rows.map((r) => r.time)).toEqual([at, at]);
  });
});
