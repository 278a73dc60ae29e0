import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { bearer, TEST_VIEWER } from '../helpers/api-auth.js';
import { loadConfig, type RoomwatchConfig } from '../../app/config/load.js';
import { InfluxSink } from '../../collector/sink/influx.js';
import { Spool } from '../../collector/sink/spool.js';
import { formatIssue } from '../../common/config/yaml-source.js';
import { FAULT_STATS_FIELDS } from '../../common/contracts/stored.js';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { faultStatistics } from '../../reports/faults/daemon.js';
import { FaultStatsJob } from '../../reports/faults/job.js';
import { capturingLog } from '../helpers/capturing-log.js';
import { bj, HISTORY_RECORDS } from '../helpers/fault-history.js';
import { eventually, runCli } from '../helpers/processes.js';

// The scripted history (test/helpers/fault-history.ts) written by the real sink into a real
// influxd, read back by the report, the daemon's fault_stats job, the CLI and the API. The
// expected numbers are counted by hand from the script.
const log = pino({ level: 'silent' });
const influxd = new TestInfluxd();
const DB = 'faults';
let config: RoomwatchConfig;
let configFile: string;

function writeConfig(influxUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fault-stats-'));
  const file = join(dir, 'roomwatch.yaml');
  writeFileSync(
    file,
    `influxdb: { url: "${influxUrl}", database: ${DB} }
sites:
  - { id: prov, name: 省公司, rooms: [{ id: room-1, name: 省公司三楼主机房 }] }
  - { id: county-a, name: 安吉县分公司, rooms: [{ id: room-2, name: 安吉县机房 }] }
alerting:
  state_dir: alerts
  receivers: [{ id: duty, type: webhook, url: "http://127.0.0.1:9/duty" }]
  routes: [{ receivers: [duty] }]
devices:
  - { id: meter-1, name: 进线电表, site: prov, room: room-1, template: sdm630, modbus: { transport: tcp, host: 10.0.0.2 } }
`,
  );
  return file;
}

function load(file: string): RoomwatchConfig {
  const loaded = loadConfig(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return loaded.config;
}

beforeAll(async () => {
  await influxd.start();
  configFile = writeConfig(influxd.url);
  config = load(configFile);
  const sink = new InfluxSink({ ...config.influx, flushIntervalMs: 100 }, new Spool(mkdtempSync(join(tmpdir(), 'spool-')), 1 << 22, log), log);
  sink.start();
  for (const record of HISTORY_RECORDS) sink.writeEvent(record);
  sink.flush();
  await eventually(async () => {
    const [row] = await influxd.query<{ count: number }>(DB, 'SELECT count(alert_id) FROM "events"."alert_events"');
    return row?.count === HISTORY_RECORDS.length;
  }, 20_000, 'the scripted history in influxd');
  await sink.stop();
});
afterAll(() => influxd.destroy());

describe('fault statistics from a real influxd', () => {
  it('reads January 2025 back with the hand-counted figures, 环比 and 同比', async () => {
    const { report } = faultStatistics(config, log);
    const jan = await report({ from: { year: 2025, month: 1, day: 1 }, to: { year: 2025, month: 2, day: 1 }, months: 1 }, ['category']);
    // A, C (incident of 3), D, E, F, G (no fault tag), J: 7; acknowledged A 600 s, C 1200 s, E 10800 s; resolved A, C, D, G.
    expect(jan.current).toMatchObject({ faults: 7, incidents: 1, members: 3, acknowledged: 3, mtta_seconds: 4200, resolved: 4, mttr_seconds: 6750, resolved_within_limit: 3, unacknowledged: 4 });
    expect(jan.previous.faults).toBe(2);
    expect(jan.year_ago.faults).toBe(3);
    expect(jan.breakdowns.category?.find((r) => r.key === 'power')).toMatchObject({ faults: 3, previous_faults: 1, year_ago_faults: 2 });
  });

  it('writes fault_stats days that read back with InfluxQL sums, and a rewrite replaces them', async () => {
    const job = new FaultStatsJob({ influx: config.influx, reports: config.reports, log, now: () => bj(2025, 1, 11, 12) });
    await job.runOnce();
    await job.runOnce();
    const fields = FAULT_STATS_FIELDS.map((f) => `"${f}"`).join(', ');
    const points = await influxd.query<Record<string, unknown>>(DB, `SELECT ${fields}, device_type, site_name FROM "events"."fault_stats" WHERE time >= '2025-01-09T16:00:00Z' AND time < '2025-01-10T16:00:00Z'`);
    // Incident C of 10 January: one point, not two after the second pass.
    expect(points).toEqual([
      { time: Date.UTC(2025, 0, 9, 16), faults: 1, incidents: 1, members: 3, acknowledged: 1, ack_seconds_total: 1200, resolved: 1, resolve_seconds_total: 18_000, resolved_within_limit: 0, unacknowledged: 0, device_type: 'power_meter', site_name: '省公司' },
    ]);
    // The first pass covered the week back to 4 January: A (1 Jan) is outside, G (5 Jan) inside.
    const [sums] = await influxd.query<{ faults: number; mtta: number }>(DB, `SELECT sum(faults) AS faults, sum(ack_seconds_total) / sum(acknowledged) AS mtta FROM "events"."fault_stats" WHERE time >= '2025-01-03T16:00:00Z' AND time < '2025-01-11T16:00:00Z'`);
    expect(sums).toMatchObject({ faults: 2, mtta: 1200 });
  });

  it('logs InfluxDB down once and keeps trying, without throwing', async () => {
    const port = await freePort();
    const { log: captured, lines } = capturingLog();
    const down = new FaultStatsJob({ influx: { ...config.influx, url: `http://127.0.0.1:${port}`, timeoutMs: 2000 }, reports: config.reports, log: captured, now: () => bj(2025, 1, 11, 12) });
    await down.runOnce();
    await down.runOnce();
    expect(lines.filter((l) => l.msg === 'fault_stats not written; trying again next interval')).toHaveLength(1);
  });

  it('takes a database the sink has not created yet as no history, not as a failure', async () => {
    const { log: captured, lines } = capturingLog();
    const fresh = new FaultStatsJob({ influx: { ...config.influx, database: 'not_written_yet' }, reports: config.reports, log: captured, now: () => bj(2025, 1, 11, 12) });
    await fresh.runOnce();
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
  });

  it('answers GET /api/reports/faults with the same figures, and explains bad dates', async () => {
    const { report } = faultStatistics(config, log);
    const appDeps = {
      silences: { list: () => [], add: () => { throw new Error('unused'); }, expire: () => false },
      alerts: { active: () => [], recent: () => [], alert: () => undefined, acknowledge: () => ({ error: 'unused' }), display: () => ({ en: { summary: '', value: '' }, 'zh-CN': { summary: '', value: '' } }) as never },
    };
    const app = buildApp({ ...appDeps, reports: { faults: report }, health: () => ({ status: 'ok' }), users: [TEST_VIEWER] });
    const ok = await app.inject({ method: 'GET', url: '/api/reports/faults?from=2025-01&by=room,severity', headers: bearer() });
    expect(ok.statusCode).toBe(200);
    const body = ok.json<{ current: { faults: number; mttr_seconds: number }; breakdowns: { room: Array<{ name: string; faults: number }>; severity: unknown[] } }>();
    expect(body.current).toMatchObject({ faults: 7, mttr_seconds: 6750 });
    expect(body.breakdowns.room.map((r) => [r.name, r.faults])).toEqual([['安吉县分公司 / 安吉县机房', 4], ['省公司 / 省公司三楼主机房', 3]]);
    const bad = await app.inject({ method: 'GET', url: '/api/reports/faults?from=2025-02-30', headers: bearer() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ code: 'BAD_REQUEST', message: 'querystring from "2025-02-30": no such date' });
    const badBy = await app.inject({ method: 'GET', url: '/api/reports/faults?from=2025-01&by=floor', headers: bearer() });
    expect(badBy.json<{ message: string }>().message).toContain('unknown breakdown "floor"');
    await app.close();
    // InfluxDB not answering: a 503 that says so, without addresses or credentials.
    const down = faultStatistics({ ...config, influx: { ...config.influx, url: `http://127.0.0.1:${await freePort()}`, timeoutMs: 2000 } }, log);
    const downApp = buildApp({ silences: appDeps.silences, alerts: appDeps.alerts, reports: { faults: down.report }, health: () => ({}), users: [TEST_VIEWER] });
    const unavailable = await downApp.inject({ method: 'GET', url: '/api/reports/faults?from=2025-01', headers: bearer() });
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.json()).toEqual({ code: 'STORAGE_UNAVAILABLE', message: 'the alert history in InfluxDB cannot be read just now; try again shortly' });
    await downApp.close();
  });

  it('prints the report through bin/roomwatch.js, as JSON and as zh-CN and en tables', async () => {
    const json = await runCli(['report', 'faults', '--config', configFile, '--from', '2025-01-01', '--to', '2025-01-31', '--by', 'category,site', '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { current: { faults: number; members: number }; breakdowns: { site: Array<{ name: string; faults: number }> } };
    expect(report.current).toMatchObject({ faults: 7, members: 3 });
    expect(report.breakdowns.site.map((s) => [s.name, s.faults])).toEqual([['安吉县分公司', 4], ['省公司', 3]]);
    const zh = await runCli(['report', 'faults', '--config', configFile, '--from', '2025-01']);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('故障统计');
    expect(zh.stdout).toMatch(/统计周期\s+7\s+1\s+3\s+3\s+1h10m\s+4\s+1h52m\s+42\.9%\s+4/);
    const en = await runCli(['report', 'faults', '--config', configFile, '--from', '2025-01', '--lang', 'en']);
    expect(en.stdout).toMatch(/power\s+3\s+\+200\.0%\s+\+50\.0%/);
    const bad = await runCli(['report', 'faults', '--config', configFile, '--from', '2025-13']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from "2025-13": no such month');
  });
});
