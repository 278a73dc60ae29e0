import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { continuousQueries, downsamplePlan, downsampleRange, sameQuery } from '../../collector/sink/downsample.js';
import { InfluxSink, type InfluxSettings } from '../../collector/sink/influx.js';
import { displayNames } from '../../collector/sink/names.js';
import { Spool } from '../../collector/sink/spool.js';
import type { Reading } from '../../common/contracts/reading.js';
import { TestInfluxd } from '../../mocks/influxd.js';
import { config } from '../helpers/engine-bed.js';
import { eventually } from '../helpers/processes.js';

const log = pino({ level: 'silent' });
const influxd = new TestInfluxd();
const WINDOW = 300_000;

function settings(database: string): InfluxSettings {
  return {
    url: influxd.url, database, batchSize: 50, flushIntervalMs: 100, timeoutMs: 2000,
    rawRetentionMs: 30 * 86_400_000, longTermRetentionMs: 730 * 86_400_000, eventsRetentionMs: 1825 * 86_400_000, downsampleIntervalMs: WINDOW,
  };
}

/** SELECT ... INTO and CQ statements change data: influxd takes them by POST only. */
async function post(database: string, q: string): Promise<void> {
  const response = await fetch(`${influxd.url}/query?db=${encodeURIComponent(database)}`, { method: 'POST', body: new URLSearchParams({ q }) });
  const body = (await response.json()) as { results?: Array<{ error?: string }>; error?: string };
  const error = body.error ?? body.results?.find((r) => r.error)?.error;
  if (error) throw new Error(`${q}: ${error}`);
}

async function ownCqs(database: string): Promise<Array<{ name: string; query: string }>> {
  const response = await fetch(`${influxd.url}/query?q=${encodeURIComponent('SHOW CONTINUOUS QUERIES')}`);
  const body = (await response.json()) as { results: Array<{ series?: Array<{ name: string; values: string[][] }> }> };
  const series = body.results[0]?.series?.find((s) => s.name === database);
  return (series?.values ?? []).map(([name, query]) => ({ name: name!, query: query! }));
}

beforeAll(() => influxd.start());
afterAll(() => influxd.destroy());

describe('what the sink stores for dashboards, against a real influxd', () => {
  const cfg = config();
  const plan = downsamplePlan(cfg.templates.values());
  const ups = cfg.devices.find((d) => d.id === 'ups-1')!;

  it('names every reading point, and downsampling keeps the field names with each kind\'s aggregate', async () => {
    const db = 'stored_downsample';
    const sink = new InfluxSink(settings(db), new Spool(mkdtempSync(join(tmpdir(), 'spool-')), 1 << 20, log), log, { names: displayNames(cfg), downsample: plan });
    sink.start();
    const from = Math.floor((Date.now() - 3_600_000) / WINDOW) * WINDOW;
    const readings: Reading[] = [];
    for (let i = 0; i < 5; i++) {
      const time = from + i * 60_000;
      const at = (measurement: string, field: string, value: number | string) => readings.push({ measurement, field, tags: ups.tags, value, source: 't', time });
      at('ups', 'battery_charge', 90 + i);
      at('ups', 'output_source', i < 4 ? 3 : 5);
      at('ups', 'active_alarm', 'on_battery');
      at('device_health', 'comms', i === 2 ? 0 : 1);
      at('device_health', 'poll_duration_ms', 10 * (i + 1));
    }
    sink.write(readings);
    await eventually(async () => (await influxd.query(db, 'SELECT count(comms) FROM device_health')).at(0), 10_000, 'the raw points');
    const raw = await influxd.query<Record<string, string>>(db, `SELECT battery_charge, site_name, room_name, device_name FROM ups LIMIT 1`);
    expect(raw[0]).toMatchObject({ site_name: '省公司', room_name: '主机房', device_name: '1号UPS' });
    const health = await influxd.query<Record<string, string>>(db, `SELECT comms, device_name FROM device_health LIMIT 1`);
    expect(health[0]).toMatchObject({ device_name: '1号UPS' });

    for (const statement of downsampleRange(plan, { database: db, intervalMs: WINDOW }, from, from + WINDOW)) await post(db, statement);
    const [upsLong] = await influxd.query<Record<string, unknown>>(db, `SELECT * FROM long_term.ups`);
    expect(upsLong).toMatchObject({ time: from, battery_charge: 92, output_source: 5, site_name: '省公司', device_name: '1号UPS', device: 'ups-1' });
    expect(Object.keys(upsLong!).filter((k) => k.startsWith('mean_'))).toEqual([]);
    expect(upsLong).not.toHaveProperty('active_alarm');
    const [healthLong] = await influxd.query<Record<string, unknown>>(db, `SELECT comms, poll_duration_ms FROM long_term.device_health`);
    expect(healthLong).toMatchObject({ comms: 0, poll_duration_ms: 30 });
    await sink.stop();
  });

  it('keeps exactly one CQ per measurement: the old mean(*) one and stale ones dropped, a changed one recreated', async () => {
    const db = 'stored_cqs';
    await post(db, `CREATE DATABASE ${db}`);
    await post(db, `CREATE RETENTION POLICY raw ON ${db} DURATION 30d REPLICATION 1 DEFAULT`);
    await post(db, `CREATE RETENTION POLICY long_term ON ${db} DURATION 730d REPLICATION 1`);
    await post(db, `CREATE CONTINUOUS QUERY roomwatch_downsample ON ${db} BEGIN SELECT mean(*) INTO "${db}"."long_term".:MEASUREMENT FROM "${db}"."raw"./.*/ GROUP BY time(5m), * END`);
    await post(db, `CREATE CONTINUOUS QUERY roomwatch_downsample_gone ON ${db} BEGIN SELECT mean(x) AS x INTO "${db}"."long_term"."gone" FROM "${db}"."raw"."gone" GROUP BY time(5m), * END`);
    await post(db, `CREATE CONTINUOUS QUERY roomwatch_downsample_ups ON ${db} BEGIN SELECT mean(battery_charge) AS battery_charge INTO "${db}"."long_term"."ups" FROM "${db}"."raw"."ups" GROUP BY time(5m), * END`);
    const sink = new InfluxSink(settings(db), new Spool(mkdtempSync(join(tmpdir(), 'spool-')), 1 << 20, log), log, { names: displayNames(cfg), downsample: plan });
    sink.start();
    sink.write([{ measurement: 'ups', field: 'battery_charge', tags: ups.tags, value: 90, source: 't', time: Date.now() }]);
    await eventually(async () => (await influxd.query(db, 'SELECT count(battery_charge) FROM ups')).at(0), 10_000, 'the point');
    // One series per database, named after it; the other test's database has CQs of the same names.
    const cqs = await ownCqs(db);
    const wanted = continuousQueries(plan, { database: db, intervalMs: WINDOW });
    expect(cqs.map((c) => c.name).sort()).toEqual(wanted.map((c) => c.name).sort());
    // influxd re-prints what it stores; each one is ours, the ups one with every field now.
    for (const cq of wanted) expect(sameQuery(cqs.find((c) => c.name === cq.name)!.query, cq.query), cq.name).toBe(true);
    expect(cqs.find((c) => c.name === 'roomwatch_downsample_ups')!.query).toContain('last(output_source) AS output_source');
    await sink.stop();
  });
});
