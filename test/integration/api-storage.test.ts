import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../alerting/alerts.js';
import { alertEventRecord } from '../../alerting/events-out.js';
import { Directory } from '../../alerting/notify/directory.js';
import type { RoomwatchConfig } from '../../app/config/load.js';
import { InfluxSink } from '../../collector/sink/influx.js';
import { displayNames } from '../../collector/sink/names.js';
import { Spool } from '../../collector/sink/spool.js';
import type { Reading } from '../../common/contracts/reading.js';
import { TestInfluxd } from '../../mocks/influxd.js';
import { testAlert } from '../helpers/api-alerts.js';
import { testApi, viewerGet } from '../helpers/api-app.js';
import { loadTestConfig, writeApiTestConfig } from '../helpers/api-config.js';
import { eventually } from '../helpers/processes.js';

// Readings and alert events written by the real sink into a real influxd, read back through the
// API: device trends, an alert's readings, its timeline, the history; then InfluxDB stopped.
const log = pino({ level: 'silent' });
const influxd = new TestInfluxd();
const DB = 'api_storage';
const STEP = 10_000;
// Whole minutes, a little in the past: the trend reads "the last hours" by the wall clock.
const END = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
const START = END - 90 * 60_000;
let config: RoomwatchConfig;

/** Phase voltages of meter-1 every 10 s: phase p at step i reads 220 + p + i/100 (phase 2 dips below 198 for 5 minutes). */
const voltage = (phase: number, i: number, t: number) => (phase === 2 && t >= END - 30 * 60_000 && t < END - 25 * 60_000 ? 190 : 220 + phase + i / 100);

const older = testAlert({ id: 'b0b0b0b0b0', device: 'ups-1', rule: 'ups_on_battery', severity: 'critical', category: 'power', labels: { site: 'hz', room: 'r2' }, firingSince: START + 60_000 });
const dip = testAlert({
  id: 'c0c0c0c0c0', device: 'meter-1', severity: 'major', category: 'power', labels: { site: 'hz', room: 'r1', phase: '2' }, firingSince: END - 30 * 60_000, flapping: true,
  context: [{ measurement: 'power_meter', field: 'frequency', value: 50, unit: 'Hz', at: END - 30 * 60_000 }],
});

beforeAll(async () => {
  await influxd.start();
  config = loadTestConfig(writeApiTestConfig({ influxUrl: influxd.url, database: DB }));
  // With the display-name tags the daemon's sink adds (site_name, room_name, device_name): a series is still named by its point's own tags only.
  const sink = new InfluxSink({ ...config.influx, flushIntervalMs: 100 }, new Spool(mkdtempSync(join(tmpdir(), 'spool-')), 1 << 24, log), log, { names: displayNames(config) });
  sink.start();
  const meter = config.devices.find((d) => d.id === 'meter-1')!;
  const readings: Reading[] = [];
  for (let t = START, i = 0; t <= END; t += STEP, i += 1) {
    for (const phase of [1, 2, 3]) readings.push({ measurement: 'power_meter', field: 'voltage', tags: { ...meter.tags, phase: String(phase) }, value: voltage(phase, i, t), unit: 'V', source: 'fc4', time: t });
    readings.push({ measurement: 'power_meter', field: 'frequency', tags: meter.tags, value: 50 + (i % 3) / 100, unit: 'Hz', source: 'fc4', time: t });
  }
  sink.write(readings);
  // The history as the engine writes it (alerting/events-out.ts): the older alert opened, acknowledged and resolved; the dip opened and flapping.
  const directory = new Directory(config);
  const event = (kind: AlertEvent['kind'], alert: Alert, at: number) => sink.writeEvent(alertEventRecord({ kind, alert, at }, directory.get(alert.device), (t) => t));
  event('opened', older, older.firingSince);
  event('acknowledged', { ...older, ack: { by: '王工', at: older.firingSince + 120_000 } }, older.firingSince + 120_000);
  event('resolved', { ...older, status: 'resolved', resolvedAt: older.firingSince + 600_000, resolution: { reason: 'cleared' } }, older.firingSince + 600_000);
  event('opened', dip, dip.firingSince);
  event('flapping', dip, dip.firingSince + 180_000);
  sink.flush();
  await eventually(async () => {
    const [events] = await influxd.query<{ count: number }>(DB, 'SELECT count(alert_id) FROM "events"."alert_events"');
    const [points] = await influxd.query<{ count: number }>(DB, 'SELECT count(voltage) FROM "raw"."power_meter"');
    return events?.count === 5 && points?.count === readings.length * 0.75;
  }, 30_000, 'readings and events in influxd');
  await sink.stop();
});
afterAll(() => influxd.destroy());

const api = () => testApi({ config, active: [dip] });

type Series = { measurement: string; field: string; tags: Record<string, string>; unit?: string; points: Array<[number, number]> };

describe('the API reading a real influxd', () => {
  it('answers a device trend per phase with its unit, each window the mean of its polls', async () => {
    const response = await viewerGet(api(), '/api/devices/meter-1/trend?field=voltage&hours=2');
    expect(response.statusCode).toBe(200);
    const { series } = response.json<{ series: Series[] }>();
    expect(series.map((s) => [s.tags, s.unit, s.measurement, s.field])).toEqual([[{ phase: '1' }, 'V', 'power_meter', 'voltage'], [{ phase: '2' }, 'V', 'power_meter', 'voltage'], [{ phase: '3' }, 'V', 'power_meter', 'voltage']]);
    // Two hours in 500 windows is 15 s each: every window holds one or two polls and keeps their mean.
    const phase1 = series[0]!.points;
    const count = (END - START) / STEP + 1;
    expect(phase1[0]![0]).toBeGreaterThanOrEqual(START - 15_000);
    expect(phase1.at(-1)![0]).toBeLessThanOrEqual(END);
    const expectedWindows = new Map<number, number[]>();
    for (let i = 0; i < count; i += 1) {
      const t = START + i * STEP;
      const window = Math.floor(t / 15_000) * 15_000;
      expectedWindows.set(window, [...(expectedWindows.get(window) ?? []), voltage(1, i, t)]);
    }
    expect(phase1.map(([t]) => t)).toEqual([...expectedWindows.keys()]);
    phase1.forEach(([t, v]) => {
      const values = expectedWindows.get(t)!;
      expect(v).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
    });
  });

  it("answers an alert's point around its opening, only its own phase, with its context points", async () => {
    const response = await viewerGet(api(), '/api/alerts/c0c0c0c0c0/readings?minutes=10');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ from: number; to: number; series: Series[]; context: Series[] }>();
    expect(body.from).toBe(dip.firingSince - 600_000);
    expect(body.series.map((s) => s.tags)).toEqual([{ phase: '2' }]);
    const dipValues = body.series[0]!.points.filter(([t]) => t >= dip.firingSince && t < dip.firingSince + 5 * 60_000).map(([, v]) => v);
    expect(dipValues.length).toBeGreaterThan(0);
    expect(new Set(dipValues)).toEqual(new Set([190]));
    expect(body.series[0]!.points[0]![0]).toBeGreaterThanOrEqual(body.from - STEP);
    expect(body.context.map((s) => [s.field, s.unit])).toEqual([['frequency', 'Hz']]);
    expect(body.context[0]!.points.length).toBeGreaterThan(0);
  });

  it('lists alert_events newest first, filtered and limited', async () => {
    const app = api();
    const all = await viewerGet(app, '/api/history');
    expect(all.statusCode).toBe(200);
    const rows = all.json<Array<{ time: number; event: string; alert_id: string; device: string; severity: string; ack_by: string | null; device_name: string }>>();
    expect(rows.map((r) => [r.alert_id, r.event])).toEqual([
      ['c0c0c0c0c0', 'flapping'], ['c0c0c0c0c0', 'opened'], ['b0b0b0b0b0', 'resolved'], ['b0b0b0b0b0', 'acknowledged'], ['b0b0b0b0b0', 'opened'],
    ]);
    expect(rows[3]).toMatchObject({ ack_by: '王工', device: 'ups-1', severity: 'critical', device_name: 'ups-1' });
    const ids = async (query: string) => (await viewerGet(app, `/api/history?${query}`)).json<Array<{ alert_id: string; event: string }>>().map((r) => `${r.alert_id}:${r.event}`);
    expect(await ids('device=meter-1')).toEqual(['c0c0c0c0c0:flapping', 'c0c0c0c0c0:opened']);
    expect(await ids('severity=critical&category=power&site=hz&room=r2')).toEqual(['b0b0b0b0b0:resolved', 'b0b0b0b0b0:acknowledged', 'b0b0b0b0b0:opened']);
    expect(await ids('limit=2')).toEqual(['c0c0c0c0c0:flapping', 'c0c0c0c0c0:opened']);
    const from = new Date(older.firingSince + 60_000).toISOString();
    const to = new Date(older.firingSince + 300_000).toISOString();
    expect(await ids(`from=${from}&to=${to}`)).toEqual(['b0b0b0b0b0:acknowledged']);
    // A value with a quote is refused by its shape before it could reach InfluxQL.
    expect((await viewerGet(app, `/api/history?device=${encodeURIComponent("x' OR device =~ /.*/ --")}`)).statusCode).toBe(400);
  });

  it('tells the timeline of an alert the daemon no longer holds from its rows, and adds the flapping row to a held one', async () => {
    const app = api();
    const old = await viewerGet(app, '/api/alerts/b0b0b0b0b0/timeline');
    expect(old.statusCode).toBe(200);
    expect(old.json()).toEqual([
      { at: older.firingSince, event: 'opened' },
      { at: older.firingSince + 120_000, event: 'acknowledged', by: '王工' },
      { at: older.firingSince + 600_000, event: 'resolved', text: 'cleared' },
    ]);
    const held = await viewerGet(app, '/api/alerts/c0c0c0c0c0/timeline');
    expect(held.json()).toEqual([{ at: dip.firingSince, event: 'opened' }, { at: dip.firingSince + 180_000, event: 'flapping' }]);
    const unknown = await viewerGet(app, '/api/alerts/dddddddddd/timeline');
    expect(unknown.statusCode).toBe(404);
  });

  it('answers 503 STORAGE_UNAVAILABLE from every InfluxDB route when influxd is down, and the rest keeps answering', async () => {
    await influxd.stop();
    const app = api();
    for (const url of ['/api/devices/meter-1/trend?field=voltage', '/api/alerts/c0c0c0c0c0/readings', '/api/history', '/api/alerts/b0b0b0b0b0/timeline']) {
      const response = await viewerGet(app, url);
      expect({ url, status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({ url, status: 503, code: 'STORAGE_UNAVAILABLE' });
    }
    expect((await viewerGet(app, '/api/devices/meter-1')).statusCode).toBe(200);
    expect((await viewerGet(app, '/api/alerts/c0c0c0c0c0/timeline')).json()).toEqual([{ at: dip.firingSince, event: 'opened' }]);
  });
});
