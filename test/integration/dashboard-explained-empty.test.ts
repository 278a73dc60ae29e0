import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestInfluxd } from '../../mocks/influxd.js';
import { checkDashboard, type Dashboard, type InfluxAnswer } from '../helpers/grafana-queries.js';
import type { Panel } from '../helpers/grafana/model.js';

// The dashboard check's rule for legitimate "No data" (test/helpers/grafana/explain.ts), against a
// real influxd: an empty target passes only when its panel sets noValue AND influxd explains the
// emptiness, by another view of the same target having data (a) or by no series at all (b).
const influxd = new TestInfluxd();
const database = 'explained';
const now = Date.now();

async function post(q: string): Promise<void> {
  const response = await fetch(`${influxd.url}/query`, { method: 'POST', body: new URLSearchParams({ q }) });
  if (!response.ok) throw new Error(`${q}: ${response.status} ${await response.text()}`);
}

async function ask(q: string): Promise<InfluxAnswer> {
  const response = await fetch(`${influxd.url}/query?db=${database}&epoch=ms&q=${encodeURIComponent(q)}`);
  const body = (await response.json()) as { error?: string; results?: Array<{ error?: string; series?: InfluxAnswer['series'] }> };
  return { error: body.error ?? body.results?.[0]?.error, series: body.results?.[0]?.series ?? [] };
}

beforeAll(async () => {
  await influxd.start();
  await post(`CREATE DATABASE ${database}`);
  await post(`CREATE RETENTION POLICY raw ON ${database} DURATION 30d REPLICATION 1 DEFAULT`);
  const lines = [
    // Room r1 has a UPS of template ups-a with output_load; room r2 only a ups-b without it.
    `ups,device_type=ups-a,room_name=r1,device_name=u1 output_load=50 ${(now - 60_000) * 1e6}`,
    `ups,device_type=ups-b,room_name=r2,device_name=u2 input_power=900 ${(now - 60_000) * 1e6}`,
    // Statistics two hours ago: empty in the last 15 minutes, present in the last 24 hours.
    `stats faults=3 ${(now - 2 * 3600_000) * 1e6}`,
  ];
  await influxd.write(database, lines, { rp: 'raw' });
});

afterAll(() => influxd.destroy());

let id = 0;
function panel(title: string, query: string, extra: Partial<Panel> & { noValue?: string } = {}): Panel {
  const { noValue, ...rest } = extra;
  return {
    id: ++id,
    type: 'timeseries',
    title,
    datasource: { type: 'influxdb', uid: 'influx' },
    gridPos: { x: 0, y: 0, w: 12, h: 8 },
    targets: [{ refId: 'A', rawQuery: true, query }],
    ...(noValue ? { fieldConfig: { defaults: { noValue } } } : {}),
    ...rest,
  };
}

const LOAD = `SELECT mean("output_load") FROM "raw"."ups" WHERE $timeFilter`;
const dashboard: Dashboard = {
  title: 'explained',
  time: { from: 'now-15m', to: 'now' },
  panels: [
    panel('series but empty', `${LOAD} AND "room_name" =~ /^r2$/ GROUP BY time($__interval)`, { noValue: 'empty' }),
    panel('no such device', `${LOAD} AND "device_type" =~ /^(ups-a)$/ AND "room_name" =~ /^r2$/ GROUP BY time($__interval)`, { noValue: 'no ups-a here' }),
    panel('no such device, silent', `${LOAD} AND "device_type" =~ /^(ups-a)$/ AND "room_name" =~ /^r2$/ GROUP BY time($__interval)`),
    panel('older stats', `SELECT sum("faults") FROM "raw"."stats" WHERE $timeFilter`, { noValue: '0' }),
    panel('older stats, silent', `SELECT sum("faults") FROM "raw"."stats" WHERE $timeFilter`),
    panel('a year ago', `${LOAD} AND "room_name" =~ /^r1$/ GROUP BY time($__interval)`, { noValue: 'no record a year earlier', timeShift: '1y' }),
  ],
};

describe('explained "No data" against a real influxd', () => {
  it('passes empty noValue panels only where another view has data or no series exists, and fails the rest', async () => {
    const result = await checkDashboard(dashboard, { run: ask, now, ranges: [{ from: 'now-15m', to: 'now' }, { from: 'now-24h', to: 'now' }], influxUid: 'influx', browserTimezone: 'UTC' });
    expect(result.views).toBe(12);
    const failed = result.failures.map((f) => f.split(' [')[0]!.replace('explained / ', '') + (f.includes('now-15m..now') ? ' 15m' : ' 24h'));
    expect(failed.sort()).toEqual(['no such device, silent 15m', 'no such device, silent 24h', 'older stats, silent 15m', 'series but empty 15m', 'series but empty 24h']);
    expect(result.failures.every((f) => f.includes('A: no data (no series with a non-null value)'))).toBe(true);
    // (a): "older stats" in 15 minutes (its 24-hour view has data), "a year ago" in both ranges (unshifted has data); (b): "no such device" twice.
    expect(result.explained).toEqual({ range: 3, 'no series': 2 });
  });
});
