import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type RoomwatchConfig } from '../../app/config/load.js';
import { downsamplePlan, downsampleRange } from '../../collector/sink/downsample.js';
import { formatIssue } from '../../common/config/yaml-source.js';
import { ALERT_STATUS_MEASUREMENT, FAULT_STATS_MEASUREMENT } from '../../common/contracts/stored.js';
import { buildDashboards, buildProvisioning } from '../../dashboards/build.js';
import { parse } from 'yaml';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { fault, startMock, WatchedDaemon } from '../helpers/chaos.js';
import { copyDemoConfig } from '../helpers/demo-copy.js';
import { checkDashboard, queryTemplates, type Dashboard, type InfluxAnswer } from '../helpers/grafana-queries.js';
import { eventually, ROOT, type Child } from '../helpers/processes.js';

// Issue 10, "What must be true": every panel's query, with Grafana's macros and the dashboard's
// variables substituted, runs against a real influxd filled by the simulated room (a fault
// injected so alerts exist, a water leak at every detector so leak positions exist) and returns
// data; a panel that would show "No data" fails unless it says what empty means (noValue) and
// influxd confirms why (see test/helpers/grafana/explain.ts).
// The demo's configuration on ports of its own, `roomwatch mock` serving it, the real daemon
// polling it into influxd; the mains fails everywhere a few polls in. Then long_term is filled
// with the downsampling statements for the past range (the CQ scheduler would take minutes) and
// every generated dashboard is expanded for the last 15 minutes, the last 90 days (long_term)
// and its own default range, for every choice of its variables.
const influxd = new TestInfluxd();
let mock: Child | undefined;
let daemon: WatchedDaemon | undefined;
let config: RoomwatchConfig;
let startedAt = 0;
// The demo's API token comes from the environment (config and simulator read the same file).
const ENV = { ROOMWATCH_API_TOKEN: 'dashboard-queries-token' };

async function ask(q: string): Promise<InfluxAnswer> {
  const response = await fetch(`${influxd.url}/query?db=${encodeURIComponent(config.influx.database)}&epoch=ms&q=${encodeURIComponent(q)}`);
  const body = (await response.json()) as { error?: string; results?: Array<{ error?: string; series?: InfluxAnswer['series'] }> };
  const result = body.results?.[0];
  return { error: body.error ?? result?.error, series: result?.series ?? [] };
}

async function rows(q: string): Promise<number> {
  const answer = await ask(q);
  if (answer.error) throw new Error(answer.error);
  return answer.series.reduce((n, s) => n + s.values.length, 0);
}

beforeAll(async () => {
  await influxd.start();
  const copy = await copyDemoConfig(influxd.url, { reports: { faults: { stats_interval: '10s' } } });
  process.env.ROOMWATCH_API_TOKEN ??= ENV.ROOMWATCH_API_TOKEN;
  const loaded = loadConfig(copy.file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  config = loaded.config;
  const control = await freePort();
  mock = await startMock(copy.file, control, ENV);
  startedAt = Date.now();
  daemon = new WatchedDaemon(copy.file, ENV);
  await daemon.waitFor('roomwatch running', 30_000);
  await eventually(async () => (await rows('SELECT count(*) FROM "raw"./.*/ WHERE time > now() - 1m')) > 0, 30_000, 'first readings');
  // PUE needs the meters' power before the mains fails: in the simulated outage every meter reads 0 (0 / 0).
  for (const role of ['facility_incomer', 'it_load']) {
    await eventually(async () => (await rows(`SELECT "power_active_total" FROM "raw"."power_meter" WHERE "power_role" = '${role}' AND "power_active_total" > 0 AND time > now() - 1m`)) > 0, 60_000, `${role} meter readings`);
  }
  await fault(control, 'inject', 'mains_failure', '*');
  // Every leak detector sees water: leak_position is stored only while there is a leak (65535 = no position).
  await fault(control, 'inject', 'water_leak', '*');
  await eventually(async () => (await rows('SELECT "leak_position" FROM "raw"."leak" WHERE time > now() - 1m')) > 0, 60_000, 'leak_position readings');
  // Alerts open (after their rules' hold times), alert_status counts them, fault_stats is rewritten.
  await eventually(async () => (await rows(`SELECT "active" FROM "raw"."${ALERT_STATUS_MEASUREMENT}" WHERE "active" > 0`)) > 0, 60_000, 'active alerts in alert_status');
  await eventually(async () => (await rows(`SELECT * FROM "events"."${FAULT_STATS_MEASUREMENT}"`)) > 0, 60_000, 'fault_stats rows');
  const plan = downsamplePlan(config.templates.values());
  const window = config.influx.downsampleIntervalMs;
  const from = Math.floor((startedAt - window) / window) * window;
  const to = Math.ceil((Date.now() + window) / window) * window;
  for (const statement of downsampleRange(plan, { database: config.influx.database, intervalMs: window }, from, to)) {
    const answer = await ask(statement);
    if (answer.error) throw new Error(`${answer.error}: ${statement}`);
  }
}, 240_000);

afterAll(async () => {
  await daemon?.killHard();
  await mock?.stop('SIGKILL');
  await influxd.destroy();
});

function committed(): Array<{ path: string; dashboard: Dashboard }> {
  const dir = join(ROOT, 'config', 'demo', 'grafana');
  const out: Array<{ path: string; dashboard: Dashboard }> = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const path = join(sub, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) out.push({ path, dashboard: JSON.parse(readFileSync(join(dir, path), 'utf8')) as Dashboard });
    }
  };
  walk('dashboards');
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

describe('generated dashboards against the simulated room', () => {
  it('the committed demo dashboards send the same queries as those generated for this copy of the demo', () => {
    const generated = buildDashboards(config).map((d) => ({ path: d.path, lines: queryTemplates(d.dashboard as unknown as Dashboard) }));
    const stored = committed().map((d) => ({ path: d.path, lines: queryTemplates(d.dashboard) }));
    expect(generated.map((g) => g.path)).toEqual(stored.map((s) => s.path));
    expect(generated).toEqual(stored);
  });

  it('every panel target and annotation returns data for every range and choice of variables', async () => {
    const dashboards = buildDashboards(config);
    expect(dashboards.length).toBeGreaterThanOrEqual(4);
    // The floor of $__interval is the generated datasource's min interval (jsonData.timeInterval).
    const datasource = buildProvisioning(config, 'dashboards').find((f) => f.path.startsWith('provisioning/datasources/'))!;
    const minInterval = (parse(datasource.content) as { datasources: Array<{ jsonData?: { timeInterval?: string } }> }).datasources[0]?.jsonData?.timeInterval;
    const now = Date.now();
    const failures: string[] = [];
    let views = 0;
    let queries = 0;
    const explained = { range: 0, 'no series': 0 };
    for (const { dashboard } of dashboards) {
      const result = await checkDashboard(dashboard as unknown as Dashboard, {
        run: ask,
        now,
        ranges: [{ from: 'now-15m', to: 'now' }, { from: 'now-90d', to: 'now' }],
        influxUid: config.dashboards.datasource.uid,
        browserTimezone: config.reports.timezone,
        minInterval,
      });
      views += result.views;
      queries += result.queries;
      explained.range += result.explained.range;
      explained['no series'] += result.explained['no series'];
      failures.push(...result.failures);
    }
    process.stdout.write(`dashboard-queries ${JSON.stringify({ dashboards: dashboards.length, views, queries, explained, failures: failures.length })}\n`);
    // Every failure in full, for reading beside the assertion's abridged diff.
    if (failures.length) {
      const report = join(tmpdir(), 'dashboard-queries-failures.txt');
      writeFileSync(report, `${failures.join('\n')}\n`);
      process.stdout.write(`dashboard-queries failures written to ${report}\n`);
    }
    expect(views).toBeGreaterThan(dashboards.length);
    expect(failures).toEqual([]);
  }, 240_000);
});
