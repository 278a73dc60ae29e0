import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { SimClock } from '../../mocks/sim/clock.js';
import { RoomSimulator } from '../../mocks/sim/room-simulator.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';
import { eventually, startDaemon, type Child } from '../helpers/processes.js';
import { TestPrometheus } from '../helpers/prometheus.js';
import { HookCatcher } from '../helpers/receivers.js';
import { SIM_ROOM_API, writeSimRoom, type SimRoom } from '../helpers/sim-room.js';

// The daemon's own metrics as Prometheus sees them: the simulated room (SNMP and Modbus over TCP,
// RTU and a gateway) → the real daemon → a real influxd, scraped by Debian's real Prometheus
// with a bearer token from a file, and read back through Prometheus' HTTP API. Net-SNMP's
// snmptrap sends a trap; a loopback webhook takes the notifications.
const run = promisify(execFile);
const influxd = new TestInfluxd();
const prometheus = new TestPrometheus();
const hooks = new HookCatcher('unused');
const TOKEN = 'prometheus-scrape-token-8d41c2';
let room: SimRoom;
let simulator: RoomSimulator;
let daemon: Child;
let api = '';
let trapPort = 0;

beforeAll(async () => {
  await influxd.start();
  await hooks.listen();
  room = await writeSimRoom(influxd.url, 1);
  const apiPort = await freePort();
  trapPort = await freePort();
  api = `http://127.0.0.1:${apiPort}`;
  // A small spool, so an InfluxDB outage fills it within seconds.
  const config = readFileSync(room.file, 'utf8')
    .replace('spool: { dir: spool }', 'spool: { dir: spool, max_size: 64KiB }')
    .replace(
      SIM_ROOM_API,
      // Prometheus scrapes as a viewer of its own: reading is all /metrics needs.
      `${apiSection(`127.0.0.1:${apiPort}`, undefined, [{ name: 'prometheus', role: 'viewer', token: TOKEN }])}
traps: { listen: "127.0.0.1:${trapPort}" }
alerting:
  state_dir: alerts
  group_wait: 1s
  receivers:
    - { id: ops-hook, type: webhook, language: en, url: "http://127.0.0.1:${hooks.port}/alertmanager" }`,
    );
  writeFileSync(room.file, config);
  simulator = new RoomSimulator(room.config, new SimClock(1), 11);
  await simulator.start();
  daemon = startDaemon(room.file);
  await daemon.waitFor('roomwatch running');
  await prometheus.start(`127.0.0.1:${apiPort}`, TOKEN);
}, 60_000);

afterAll(async () => {
  await prometheus.destroy();
  await daemon?.stop();
  await simulator?.stop();
  await hooks.close();
  await influxd.destroy();
});

const scrapeText = async () => {
  const response = await fetch(`${api}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return { contentType: response.headers.get('content-type'), text: await response.text() };
};

/** `promtool check metrics` reads the exposition on stdin; exit 0 and no output means no problem found. */
function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

describe('the daemon scraped by Prometheus', () => {
  it('is an "up" target, scraped with the bearer token from credentials_file', async () => {
    const [target] = await eventually(async () => {
      const targets = await prometheus.targets();
      return targets[0]?.health === 'up' ? targets : undefined;
    }, 20_000, 'the roomwatch target up');
    expect(target).toMatchObject({ health: 'up', lastError: '', scrapeUrl: `${api}/metrics` });
  });

  it('shows polls per device type, poll durations, points written and rule evaluations through PromQL', async () => {
    const types = await eventually(async () => {
      const result = await prometheus.query('sum by (device_type) (roomwatch_polls_total{result="ok"}) > 0');
      return result.length === 7 ? result.map((s) => s.metric.device_type).sort() : undefined;
    }, 20_000, 'ok polls of all seven device types');
    expect(types).toEqual(['apc-powernet-ups', 'crac-modbus-generic', 'leak-detector-modbus', 'liebert-gp-crac', 'sdm630', 'th-sensor-modbus', 'ups-rfc1628']);
    // The error counters exist from each type's first poll (at 0 unless a poll failed), so rate() sees the first error.
    expect((await prometheus.query('roomwatch_poll_errors_total')).map((s) => s.metric.device_type).sort()).toEqual(types);
    // A real histogram: Prometheus computes a median poll time from its buckets.
    await eventually(async () => {
      const [sample] = await prometheus.query('histogram_quantile(0.5, sum by (le) (rate(roomwatch_poll_duration_seconds_bucket[5s])))');
      const value = Number(sample?.value[1]);
      return Number.isFinite(value) && value > 0;
    }, 20_000, 'a median poll duration');
    expect(await eventually(async () => (await prometheus.value('roomwatch_points_written_total')) > 0, 20_000, 'points written')).toBe(true);
    expect(await prometheus.value('roomwatch_rule_evaluations_total')).toBeGreaterThan(0);
    expect(await prometheus.value('roomwatch_influxdb_reachable')).toBe(1);
    expect(await prometheus.value('roomwatch_api_auth_failures_total')).toBe(0);
    expect(await prometheus.value('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(await prometheus.value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts a trap, the alert a fault raises and the notification sent for it', async () => {
    expect(await prometheus.value('roomwatch_traps_received_total')).toBe(0);
    await run('snmptrap', ['-v', '2c', '-c', 'sim-public', `127.0.0.1:${trapPort}`, '', '1.3.6.1.2.1.33.2.1'], { env: { ...process.env, MIBS: '' } });
    await eventually(async () => (await prometheus.value('roomwatch_traps_received_total')) === 1, 20_000, 'the trap counted');

    simulator.inject('mains_failure', 'room-1');
    // The same firing alerts the API lists, by severity, once Prometheus' last scrape caught up
    // with the alerts the fault raises one after another.
    const tally = (pairs: Array<[string, number]>) => pairs.sort(([a], [b]) => (a < b ? -1 : 1)).map(([severity, n]) => `${severity}=${n}`).join(',');
    const agreed = await eventually(async () => {
      const scraped = await prometheus.query('roomwatch_alerts{state="firing"} > 0');
      const fromPrometheus = tally(scraped.map((s): [string, number] => [s.metric.severity ?? '', Number(s.value[1])]));
      const listed = (await apiJson<{ active: Array<{ severity: string; status: string }> }>(`${api}/api/alerts`)).active.filter((a) => a.status === 'firing');
      const fromApi = tally([...new Set(listed.map((a) => a.severity))].map((severity): [string, number] => [severity, listed.filter((a) => a.severity === severity).length]));
      return fromPrometheus !== '' && fromPrometheus === fromApi ? fromPrometheus : undefined;
    }, 30_000, 'Prometheus and the API agreeing on the firing alerts');
    expect(agreed).toMatch(/^(\w+=\d+)(,\w+=\d+)*$/);
    await eventually(async () => (await prometheus.value('roomwatch_notifications_total{channel="webhook",result="sent"}')) >= 1, 30_000, 'a webhook notification counted');
    expect(hooks.requests.length).toBeGreaterThanOrEqual(1);
    expect(await prometheus.value('roomwatch_notifications_total{channel="webhook",result="failed"}')).toBe(0);
    simulator.faults.clear('mains_failure', 'room-1');
  });

  it('serves an exposition promtool accepts without a single lint problem, with prom-client\'s content type', async () => {
    const { contentType, text } = await scrapeText();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toMatch(/^roomwatch_polls_total\{device_type="sdm630",result="ok"\} \d+$/m);
    expect(await promtoolCheck(text)).toEqual({ code: 0, output: '' });
  });

  it('answers /healthz and /readyz without credentials; ready with all four checks passing', async () => {
    const alive = await fetch(`${api}/healthz`);
    expect([alive.status, await alive.json()]).toEqual([200, { status: 'alive' }]);
    const ready = await fetch(`${api}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { ready: true, checks: ['configuration', 'pollers', 'storage', 'outbox'].map((name) => ({ name, ok: true })) },
    ]);
  });

  it('carries every counter across a SIGHUP reload: Prometheus sees no reset, and /metrics and /readyz answer again', async () => {
    const trapsBefore = await prometheus.value('roomwatch_traps_received_total');
    const reloadAt = Date.now();
    daemon.process.kill('SIGHUP');
    await daemon.waitFor(/reloading configuration[\s\S]*roomwatch running/, 30_000);
    // Two scrapes after the new parts run, so each counter has samples from both sides of the reload.
    await prometheus.scrapedAfter(Date.now() + 1500);
    const window = `[${Math.ceil((Date.now() - reloadAt) / 1000) + 30}s]`;
    for (const counter of ['roomwatch_points_written_total', 'roomwatch_rule_evaluations_total', 'roomwatch_polls_total', 'roomwatch_notifications_total']) {
      const resets = await prometheus.query(`resets(${counter}${window}) > 0`);
      expect(resets, counter).toEqual([]);
    }
    expect(await prometheus.value('roomwatch_traps_received_total')).toBe(trapsBefore);
    expect((await fetch(`${api}/readyz`)).status).toBe(200);
  });

  it('during an InfluxDB outage: Prometheus sees it unreachable and the spool grow; /readyz turns 503 once the spool is full', async () => {
    await influxd.stop();
    await eventually(async () => (await prometheus.value('roomwatch_influxdb_reachable')) === 0, 30_000, 'InfluxDB unreachable in Prometheus');
    await eventually(async () => (await prometheus.value('roomwatch_spool_points')) > 0 && (await prometheus.value('roomwatch_spool_bytes')) > 0, 20_000, 'the spool growing');
    const notReady = await eventually(async () => {
      const response = await fetch(`${api}/readyz`);
      return response.status === 503 ? ((await response.json()) as { ready: boolean; checks: Array<{ name: string; ok: boolean; reason?: string; text?: { en: string; 'zh-CN': string } }> }) : undefined;
    }, 30_000, '/readyz 503');
    expect(notReady.ready).toBe(false);
    const failed = notReady.checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual(['storage']);
    expect(failed[0]!.reason).toContain('the spool is full');
    expect(failed[0]!.text?.['zh-CN']).toContain('缓存已满');
    // The public answer names no host: the InfluxDB URL stays out of it.
    expect(JSON.stringify(notReady)).not.toContain('127.0.0.1');
    expect(daemon.alive).toBe(true);
  });
});
