/**
 * API benchmark, on the real app (buildApp) over the real AlertEngine holding ALERTS active alerts
 * (UPSes on battery-low, fed as synthetic polls), listening on loopback with a bearer token.
 *  1. GET /api/alerts requests/s and latency, load from autocannon in its own process (so the load
 *     generator does not share the server's event loop); GET /api/health on the same app is the
 *     baseline: what the framework, auth and loopback cost without the alert list.
 *  2. The live stream, GET /api/stream (issue 11 PLAN.md: `event: snapshot` with every active alert
 *     on connect, then `event: alert` per change): snapshot delivery time to 1 and 100 clients, and
 *     alert-change events/s delivered to 10 and 100 clients (the engine acknowledging alerts one
 *     after another). A build without the route says so in the table.
 *
 *   npm run bench:api -- [alerts=1000] [seconds=10] [connections=10]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { AlertEngine } from '../alerting/engine.js';
import { Directory } from '../alerting/notify/directory.js';
import { buildApp } from '../api/app.js';
import { engineDeps } from '../api/engine-deps.js';
import { loadConfig } from '../app/config/load.js';
import { Secret } from '../common/config/secret.js';
import { formatIssue } from '../common/config/yaml-source.js';

const [alertCount = 1000, seconds = 10, connections = 10] = process.argv.slice(2).map(Number);
const TOKEN = 'bench-api-token-0123456789abcdef';
const ROOMS = 20;

// 1,000 UPSes in 20 rooms of one site: a province's worth of alarms at once.
const dir = mkdtempSync(join(tmpdir(), 'bench-api-'));
const lines = [
  'sites:',
  `  - { id: s, name: 省公司, rooms: [${Array.from({ length: ROOMS }, (_, r) => `{ id: r${r}, name: ${r + 1}号机房 }`).join(', ')}] }`,
  'alerting: { state_dir: alerts }',
  'devices:',
  ...Array.from({ length: alertCount }, (_, i) => `  - { id: ups-${i}, name: ${i + 1}号UPS, site: s, room: r${i % ROOMS}, template: ups-rfc1628, snmp: { host: 10.0.0.1, community: c } }`),
];
const file = join(dir, 'roomwatch.yaml');
writeFileSync(file, `${lines.join('\n')}\n`);
const loaded = loadConfig(file, {}, { apiToken: false });
if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
const config = loaded.config;

const engine = new AlertEngine({ config, log: pino({ level: 'silent' }) });
engine.start();
const now = Date.now();
for (const device of config.devices) {
  engine.onPoll({ device, time: now, durationMs: 1, ok: true, readings: [{ measurement: 'ups', field: 'battery_status', tags: device.tags, value: 3, source: 'bench', time: now }] });
}
const active = engine.alerts().active().length;
if (active < alertCount) throw new Error(`only ${active} of ${alertCount} alerts became active`);

/** The app as cli/run.ts builds it, minus collector and InfluxDB: the routes read the engine. */
const app = buildApp({
  ...engineDeps(engine, new Directory(config)),
  health: () => ({ status: 'ok', active_alerts: engine.alerts().active().length }),
  token: new Secret(TOKEN),
});
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const auth = { authorization: `Bearer ${TOKEN}` };

// What is measured must be what is meant: 200s carrying every alert, not 401s.
const check = await fetch(`${base}/api/alerts`, { headers: auth });
const listed = (await check.json()) as { active?: unknown[] };
if (check.status !== 200 || listed.active?.length !== alertCount) throw new Error(`GET /api/alerts answered ${check.status} with ${listed.active?.length ?? 0} alerts`);
const listBytes = Number(check.headers.get('content-length') ?? 0);

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Requests that got no answer within autocannon's 30 s timeout (or lost their connection). */
  errors: number;
}

/** autocannon in a child process: the server keeps this process's event loop to itself. */
function load(path: string): Promise<Load> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '-j', '-c', String(connections), '-d', String(seconds), '-H', `authorization=Bearer ${TOKEN}`, `${base}${path}`]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
    });
  });
}

const health = await load('/api/health');
const alerts = await load('/api/alerts');
if (health.non2xx || alerts.non2xx) throw new Error(`non-2xx answers under load: health ${health.non2xx}, alerts ${alerts.non2xx}`);

/** One GET /api/alerts after another: the same list by plain request, the stream's reference. */
async function fetchAllAlerts(clients: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => (await fetch(`${base}/api/alerts`, { headers: auth })).arrayBuffer()));
  return performance.now() - t0;
}

/** An EventSource-like client: reads `event:`/`data:` frames off GET /api/stream. */
class StreamClient {
  snapshotAt?: number;
  alertEvents = 0;
  readonly #abort = new AbortController();
  readonly done: Promise<void>;
  status = 0;

  constructor(onAlert: () => void) {
    this.done = this.#read(onAlert).catch((error: unknown) => {
      if ((error as Error).name !== 'AbortError') throw error;
    });
  }

  async #read(onAlert: () => void): Promise<void> {
    const response = await fetch(`${base}/api/stream`, { headers: { ...auth, accept: 'text/event-stream' }, signal: this.#abort.signal });
    this.status = response.status;
    if (response.status !== 200 || !response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: *(.*)$/m.exec(frame)?.[1];
        if (event === 'snapshot') {
          const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          const snapshot = JSON.parse(data) as { alerts: unknown[] };
          if (snapshot.alerts.length < alertCount) throw new Error(`snapshot held ${snapshot.alerts.length} alerts, not ${alertCount}`);
          this.snapshotAt = performance.now();
        } else if (event === 'alert') {
          this.alertEvents++;
          onAlert();
        }
      }
    }
  }

  close(): Promise<void> {
    this.#abort.abort();
    return this.done;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}

/** Time until every one of `clients` new connections holds the snapshot; undefined without the route. */
async function snapshotMs(clients: number): Promise<number | undefined> {
  const t0 = performance.now();
  const opened = Array.from({ length: clients }, () => new StreamClient(() => undefined));
  const ok = await until(() => opened.every((c) => c.snapshotAt !== undefined || (c.status !== 0 && c.status !== 200)), 60_000);
  const ms = Math.max(...opened.map((c) => (c.snapshotAt ?? Number.NaN) - t0));
  const status = opened[0]!.status;
  await Promise.all(opened.map((c) => c.close()));
  if (status !== 200) return undefined;
  if (!ok) throw new Error(`not every client had its snapshot within 60 s`);
  return ms;
}

/**
 * `changes` acknowledgements made one after another by the engine, each an `event: alert` to every
 * client: events delivered per second, from the first change to the last client's last event.
 */
async function eventsPerS(clients: number, changes: number): Promise<number | undefined> {
  let delivered = 0;
  const opened = Array.from({ length: clients }, () => new StreamClient(() => delivered++));
  await until(() => opened.every((c) => c.snapshotAt !== undefined || (c.status !== 0 && c.status !== 200)), 60_000);
  if (opened[0]!.status !== 200) {
    await Promise.all(opened.map((c) => c.close()));
    return undefined;
  }
  const ids = engine.alerts().active().filter((a) => !a.ack).slice(0, changes).map((a) => a.id);
  const t0 = performance.now();
  for (const [i, id] of ids.entries()) {
    engine.acknowledge(id, 'bench');
    // Yield now and then, as changes arriving from polls would: the stream writes between them.
    if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  const complete = await until(() => delivered >= ids.length * clients, 120_000);
  const ms = performance.now() - t0;
  await Promise.all(opened.map((c) => c.close()));
  if (!complete) process.stderr.write(`stream: ${delivered} of ${ids.length * clients} alert events arrived within 120 s\n`);
  return (delivered / ms) * 1000;
}

const reference1 = await fetchAllAlerts(1);
const reference100 = await fetchAllAlerts(100);
const snapshot1 = await snapshotMs(1);
const snapshot100 = await snapshotMs(100);
const changes = Math.floor(alertCount / 2);
const events10 = await eventsPerS(10, changes);
const events100 = await eventsPerS(100, changes);
await app.close();
await engine.stop();

type Row = [figure: string, value: number | undefined, baseline: number | undefined, baselineName: string];
const rows: Row[] = [
  [`GET /api/alerts requests/s (${alertCount} active, ${connections} connections)`, alerts.rps, health.rps, 'GET /api/health requests/s'],
  ['GET /api/alerts latency p50 ms', alerts.p50, health.p50, 'GET /api/health p50 ms'],
  ['GET /api/alerts latency p99 ms', alerts.p99, health.p99, 'GET /api/health p99 ms'],
  ['GET /api/alerts answer KiB', listBytes / 1024, undefined, ''],
  ['GET /api/alerts requests timed out (30 s) or failed', alerts.errors, health.errors, 'GET /api/health'],
  ['stream snapshot delivery ms, 1 client', snapshot1, reference1, 'one GET /api/alerts ms'],
  ['stream snapshot delivery ms, 100 clients (all)', snapshot100, reference100, '100 concurrent GET /api/alerts ms'],
  [`stream alert events/s delivered, 10 clients (${changes} changes)`, events10, undefined, ''],
  [`stream alert events/s delivered, 100 clients (${changes} changes)`, events100, undefined, ''],
];
const fmt = (n: number | undefined) => (n === undefined ? 'no /api/stream on this build' : n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(2));
const table = [
  ['figure', 'value', 'baseline', 'ratio'],
  ...rows.map(([figure, value, baseline, name]) => [figure, fmt(value), baseline === undefined ? '—' : `${fmt(baseline)} (${name})`, value === undefined || !baseline ? '—' : `×${(value / baseline).toFixed(2)}`]),
];
const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
process.stdout.write(`${table.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n')}\n`);
process.stdout.write(`(${seconds} s of load per route from autocannon in its own process; loopback; bearer token on every request; Node ${process.version})\n`);
