import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { printFigures, startMock, WatchedDaemon } from '../helpers/chaos.js';
import { eventually, sleep, type Child } from '../helpers/processes.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';

// InfluxDB stopped for minutes while 40 devices are polled every second: afterwards every poll
// the daemon logged has its device_health point and its readings in InfluxDB, exactly once.
const DEVICES = 40;
const OUTAGE_MS = 100_000;
const BEFORE_MS = 5_000;
const AFTER_MS = 3_000;

const influxd = new TestInfluxd();
let mock: Child | undefined;
let daemon: WatchedDaemon | undefined;

afterAll(async () => {
  await daemon?.stop();
  await mock?.stop();
  await influxd.destroy();
});

it(`keeps every poll's points across a ${OUTAGE_MS / 1000} s InfluxDB outage under load, none lost, none twice`, async () => {
  await influxd.start();
  const dir = mkdtempSync(join(tmpdir(), 'chaos-outage-'));
  const [modbusPort, controlPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const devices = Array.from({ length: DEVICES }, (_, i) => `  - { id: th-${i + 1}, site: s1, room: r1, template: th-sensor-modbus, modbus: { transport: tcp, host: 127.0.0.1, port: ${modbusPort}, unit_id: ${i + 1}, timeout: 500ms } }`);
  const file = join(dir, 'room.yaml');
  writeFileSync(
    file,
    `log_level: trace
influxdb: { url: "${influxd.url}", database: outage, flush_interval: 200ms, timeout: 2s }
spool: { dir: spool }
${apiSection(`127.0.0.1:${apiPort}`)}
alerting: { state_dir: alerts }
collector: { default_interval: 1s, jitter: 0.05 }
sites: [{ id: s1, rooms: [{ id: r1 }] }]
devices:
${devices.join('\n')}
`,
  );
  mock = await startMock(file, controlPort);
  daemon = new WatchedDaemon(file);
  await daemon.waitFor('roomwatch running');
  await sleep(BEFORE_MS);

  const outageStart = Date.now();
  await influxd.stop();
  await sleep(OUTAGE_MS);
  await influxd.start();
  const outageMs = Date.now() - outageStart;
  await daemon.waitFor((l) => l.msg === 'InfluxDB reachable; writing' && (l.time as number) > outageStart, 30_000);
  const backAt = Date.now();
  // The writer drains the outage's segments oldest first while new polls keep adding to them.
  const health = async () => ((await apiJson<{ influxdb: { spooledPoints: number } }>(`http://127.0.0.1:${apiPort}/api/health`))).influxdb;
  await eventually(async () => (await health()).spooledPoints === 0 || undefined, 120_000, 'the spool drained');
  const drainMs = Date.now() - backAt;
  await sleep(AFTER_MS);
  expect(await daemon.stop(), 'the daemon stops on SIGTERM').toBe(true);
  expect(readdirSync(join(dir, 'spool')).filter((n) => n.endsWith('.ndjson'))).toEqual([]);

  const polls = daemon.polls();
  const okPolls = polls.filter((p) => p.ok);
  const duringOutage = okPolls.filter((p) => p.time >= outageStart && p.time < outageStart + outageMs).length;
  // Per device and poll time: rows of device_health and of the readings' measurement.
  const count = async (measurement: string, field: string) => {
    const rows = await eventually(async () => {
      const r = await influxd.query<{ time: number; device: string }>('outage', `SELECT "${field}", "device" FROM "${measurement}"`);
      return r.length ? r : undefined;
    }, 10_000, `${measurement} rows`);
    const seen = new Map<string, number>();
    for (const row of rows) seen.set(`${row.device}@${row.time}`, (seen.get(`${row.device}@${row.time}`) ?? 0) + 1);
    return seen;
  };
  const healthRows = await count('device_health', 'comms');
  const environment = await count('environment', 'temperature');
  const missing = (seen: Map<string, number>, list: typeof polls) => list.filter((p) => !seen.has(`${p.device}@${p.time}`)).length;
  const duplicated = (seen: Map<string, number>) => [...seen.values()].filter((n) => n > 1).length;
  const expectedKeys = new Set(polls.map((p) => `${p.device}@${p.time}`));
  const unexpected = [...healthRows.keys()].filter((k) => !expectedKeys.has(k)).length;

  const figures = {
    devices: DEVICES,
    interval_s: 1,
    outage_s: Math.round(outageMs / 1000),
    spool_drained_after_s: Math.round(drainMs / 1000),
    polls_logged: polls.length,
    polls_ok: okPolls.length,
    polls_ok_during_outage: duringOutage,
    device_health_expected: polls.length,
    device_health_present: polls.length - missing(healthRows, polls),
    device_health_duplicated: duplicated(healthRows),
    device_health_unexpected: unexpected,
    readings_expected: okPolls.length,
    readings_present: okPolls.length - missing(environment, okPolls),
    readings_duplicated: duplicated(environment),
  };
  printFigures('influx-outage', figures);
  expect(duringOutage).toBeGreaterThan(DEVICES * (OUTAGE_MS / 1000) * 0.8);
  expect(figures.device_health_present).toBe(figures.device_health_expected);
  expect(figures.readings_present).toBe(figures.readings_expected);
  expect(figures.device_health_duplicated).toBe(0);
  expect(figures.readings_duplicated).toBe(0);
  expect(figures.device_health_unexpected).toBe(0);
  expect(daemon.lines.filter((l) => l.level >= 60)).toEqual([]);
});
