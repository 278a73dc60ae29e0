import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InfluxSettings } from '../../collector/sink/influx.js';
import type { Reading } from '../../common/contracts/reading.js';
import { InfluxSink } from '../../collector/sink/influx.js';
import { Spool } from '../../collector/sink/spool.js';
import { TestInfluxd } from '../../mocks/influxd.js';
import { eventually, sleep } from '../helpers/processes.js';

const log = pino({ level: 'silent' });
const influxd = new TestInfluxd();

function settings(database: string): InfluxSettings {
  return {
    url: influxd.url, database, batchSize: 50, flushIntervalMs: 100, timeoutMs: 2000,
    rawRetentionMs: 30 * 86_400_000, longTermRetentionMs: 730 * 86_400_000, eventsRetentionMs: 1825 * 86_400_000, downsampleIntervalMs: 300_000,
  };
}

function reading(i: number, base: number): Reading {
  return { measurement: 'ups', field: 'output_load', tags: { site: 'hz', device: 'ups-1', phase: '1' }, value: i, source: 'x', time: base + i * 1000 };
}

beforeAll(() => influxd.start());
afterAll(() => influxd.destroy());

describe('InfluxSink against a real influxd', () => {
  it('creates the database, retention policies and downsampling query, and stores readings as fields', async () => {
    const sink = new InfluxSink(settings('sink_schema'), new Spool(mkdtempSync(join(tmpdir(), 'spool-')), 1 << 20, log), log);
    sink.start();
    const time = Date.now() - 60_000;
    sink.write([
      { measurement: 'ups', field: 'battery_charge', tags: { device: 'u1' }, value: 97, source: 's', time },
      { measurement: 'ups', field: 'battery_status', tags: { device: 'u1' }, value: 2, source: 's', time },
      { measurement: 'ups', field: 'battery_current', tags: { device: 'u1' }, value: null, source: 's', time, reason: 'NULL' },
    ]);
    const rows = await eventually(async () => (await influxd.query('sink_schema', 'SELECT * FROM ups')).at(0), 10_000, 'the point');
    expect(rows).toMatchObject({ time, battery_charge: 97, battery_status: 2, device: 'u1' });
    expect(rows).not.toHaveProperty('battery_current', expect.anything());
    const policies = await influxd.query<{ name: string; duration: string; default: boolean }>('sink_schema', 'SHOW RETENTION POLICIES');
    expect(policies.find((p) => p.name === 'raw')).toMatchObject({ duration: '720h0m0s', default: true });
    expect(policies.find((p) => p.name === 'long_term')).toMatchObject({ duration: '17520h0m0s' });
    const cqs = await influxd.query<{ name: string; query: string }>('sink_schema', 'SHOW CONTINUOUS QUERIES');
    expect(cqs.find((q) => q.name === 'roomwatch_downsample_device_health')?.query).toContain('GROUP BY time(5m)');
    await sink.stop();
  });

  it('keeps every point through an InfluxDB outage and writes them once, in order, when it returns', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'spool-'));
    const spool = new Spool(spoolDir, 1 << 24, log);
    const sink = new InfluxSink(settings('sink_outage'), spool, log);
    sink.start();
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 100; i++) sink.write([reading(i, base)]);
    await eventually(async () => (await influxd.query('sink_outage', 'SELECT count(output_load) FROM ups')).at(0)?.count === 100, 10_000, '100 points');

    await influxd.stop();
    for (let i = 100; i < 400; i++) sink.write([reading(i, base)]);
    await sleep(500);
    expect(sink.status().reachable).toBe(false);
    expect(sink.status().spooledPoints).toBe(300);

    await influxd.start();
    await eventually(() => Promise.resolve(sink.status().spooledPoints === 0 && sink.status().reachable), 30_000, 'the spool to drain');
    const rows = await influxd.query<{ time: number; output_load: number }>('sink_outage', 'SELECT output_load FROM ups');
    expect(rows).toHaveLength(400);
    expect(rows.map((r) => r.output_load)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    await sink.stop();
  });

  it('sets aside a batch InfluxDB refuses (field type conflict) and keeps writing the ones behind it', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'spool-'));
    const sink = new InfluxSink(settings('sink_refused'), new Spool(spoolDir, 1 << 24, log), log);
    sink.start();
    const base = Date.now() - 600_000;
    sink.write([reading(0, base)]);
    await eventually(async () => (await influxd.query('sink_refused', 'SELECT count(output_load) FROM ups')).at(0)?.count === 1, 10_000, 'the first point');
    // The same field as text: InfluxDB answers 400 "field type conflict", for ever.
    sink.write([{ ...reading(1, base), value: 'overload' }]);
    sink.flush();
    for (let i = 2; i < 20; i++) sink.write([reading(i, base)]);
    await eventually(async () => (await influxd.query('sink_refused', 'SELECT count(output_load) FROM ups')).at(0)?.count === 19, 15_000, 'the points behind the refused one');
    expect(sink.status().rejectedPoints).toBe(1);
    expect(readdirSync(join(spoolDir, 'rejected'))).toHaveLength(1);
    await sink.stop();
  });

  it('resends what a previous run left in the spool', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'spool-'));
    await influxd.stop();
    const first = new InfluxSink(settings('sink_restart'), new Spool(spoolDir, 1 << 24, log), log);
    first.start();
    const base = Date.now() - 7_200_000;
    for (let i = 0; i < 120; i++) first.write([reading(i, base)]);
    await first.stop(0);
    await influxd.start();

    const second = new InfluxSink(settings('sink_restart'), new Spool(spoolDir, 1 << 24, log), log);
    second.start();
    await eventually(async () => (await influxd.query('sink_restart', 'SELECT count(output_load) FROM ups')).at(0)?.count === 120, 20_000, '120 points');
    await second.stop();
  });

  it('stores text fields, and a field that changed between number and text does not hold up the spool', async () => {
    const sink = new InfluxSink(settings('sink_text'), new Spool(mkdtempSync(join(tmpdir(), 'spool-')), 1 << 20, log), log);
    sink.start();
    const time = Date.now() - 600_000;
    const text = (field: string, value: number | string, t: number): Reading => ({ measurement: 'ups_identity', field, tags: { device: 'u1' }, value, source: '3:0', time: t });
    sink.write([text('model', 'Smart-UPS "1500" \\ 杭州', time), text('firmware', 'UPS 09.3', time)]);
    sink.flush();
    await eventually(async () => (await influxd.query('sink_text', 'SELECT * FROM ups_identity')).at(0), 10_000, 'the text point');
    // The same field as a number (a template changed its type): InfluxDB refuses that point for
    // good; the batch's other points and every later batch are written.
    sink.write([text('model', 42, time + 1000), { measurement: 'ups', field: 'output_load', tags: { device: 'u1' }, value: 5, source: 'x', time: time + 1000 }]);
    sink.flush();
    sink.write([text('model', 'Smart-UPS 3000', time + 2000)]);
    sink.flush();
    await eventually(async () => (await influxd.query('sink_text', 'SELECT count(model) FROM ups_identity')).at(0)?.count === 2, 10_000, 'the later batch');
    const rows = await influxd.query<{ model: string; firmware: string | null }>('sink_text', 'SELECT model, firmware FROM ups_identity');
    expect(rows.map((r) => r.model)).toEqual(['Smart-UPS "1500" \\ 杭州', 'Smart-UPS 3000']);
    expect(rows[0]?.firmware).toBe('UPS 09.3');
    expect((await influxd.query('sink_text', 'SELECT output_load FROM ups')).at(0)).toMatchObject({ output_load: 5 });
    expect(sink.status()).toMatchObject({ rejectedPoints: 1, spooledPoints: 0, reachable: true });
    await sink.stop();
  });
});
