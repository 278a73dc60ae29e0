import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../common/config/project-root.js';
import { loadConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { TestInfluxd } from '../mocks/influxd.js';
import { Child } from '../mocks/child.js';
import { writeProvisioningTree } from './dashboards.js';
import { DEMO_CONSOLE_USER, demoAccess, type DemoAccess } from './demo-access.js';

const CONTROL_PORT = 17900;

/**
 * `roomwatch demo`: influxd with its data under .demo/, the simulated room and the daemon polling
 * it, all stopped together on Ctrl-C. Running it again while it runs says so and changes nothing;
 * leftovers of a demo that was killed are cleaned up first.
 */
export async function demoCommand(argv: string[]): Promise<number> {
  const root = projectRoot();
  const { values } = parseArgs({ args: argv, options: { room: { type: 'string', default: join(root, 'config', 'demo', 'roomwatch.yaml') }, scenario: { type: 'string', multiple: true, default: [] } }, strict: true });
  const started = performance.now();
  const stateDir = join(root, '.demo');
  const stateFile = join(stateDir, 'demo.json');
  mkdirSync(stateDir, { recursive: true });
  if (existsSync(stateFile)) {
    const previous = JSON.parse(readFileSync(stateFile, 'utf8')) as { pid: number; children: number[] };
    if (alive(previous.pid)) {
      process.stdout.write(`The demo is already running (pid ${previous.pid}); stop it with Ctrl-C in its terminal or: kill ${previous.pid}\n`);
      return 0;
    }
    for (const pid of previous.children) if (alive(pid)) process.kill(pid, 'SIGTERM');
  }
  // The demo's tokens (every API call needs one): made up per run, never committed.
  const access = demoAccess(values.room);
  const loaded = loadConfig(access.file);
  if (!loaded.ok) {
    rmSync(access.file, { force: true });
    for (const issue of loaded.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    return 1;
  }
  // Grafana is not part of the demo (none installs here): the tree is ready for one to read.
  const grafanaDir = join(stateDir, 'grafana');
  if (!writeProvisioningTree(values.room, grafanaDir).ok) return 1;
  process.stdout.write(`Grafana provisioning tree written to ${grafanaDir} (Grafana 配置目录)\n`);
  const influxUrl = new URL(loaded.config.influx.url);
  const influxd = new TestInfluxd(join(stateDir, 'influxdb'), Number(influxUrl.port));
  const cli = join(root, 'bin', 'roomwatch.js');
  const children: Child[] = [];
  const remember = () => writeFileSync(stateFile, JSON.stringify({ pid: process.pid, children: [influxd.pid, ...children.map((c) => c.process.pid)].filter(Boolean) }));
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping the demo...\n');
    for (const child of [...children].reverse()) await child.stop();
    await influxd.stop();
    rmSync(stateFile, { force: true });
    rmSync(access.file, { force: true });
    process.stdout.write('demo stopped; nothing left running.\n');
  };
  try {
    process.stdout.write(`starting influxd on ${influxd.url} (data in .demo/influxdb)...\n`);
    await influxd.start();
    remember();
    const scenarioArgs = values.scenario.flatMap((s) => ['--scenario', s]);
    const mock = new Child(process.execPath, [cli, 'mock', '--room', values.room, '--control-port', String(CONTROL_PORT), ...scenarioArgs]);
    children.push(mock);
    remember();
    await mock.waitFor('simulator ready');
    const daemon = new Child(process.execPath, [cli, 'run', '--config', access.file]);
    children.push(daemon);
    remember();
    await daemon.waitFor('roomwatch running');
    await waitForFirstPoints(influxd, loaded.config.influx.database);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const api = `${loaded.config.api.tls ? 'https' : 'http'}://${loaded.config.api.host}:${loaded.config.api.port}`;
    process.stdout.write(banner(influxd.url, loaded.config.influx.database, loaded.config.devices.length, seconds, grafanaDir, api, access));
    daemon.process.stdout!.pipe(process.stdout);
    daemon.process.stderr!.pipe(process.stderr);
  } catch (error) {
    process.stderr.write(`demo failed to start: ${(error as Error).message}\n`);
    await stopAll();
    return 1;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    for (const child of children) child.process.once('exit', () => resolve());
  });
  await stopAll();
  return 0;
}

async function waitForFirstPoints(influxd: TestInfluxd, database: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await influxd.query(database, 'SELECT count(comms) FROM device_health')).length) return;
    } catch {
      // database not created yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('no reading reached InfluxDB within 30 s');
}

function banner(influx: string, database: string, devices: number, seconds: string, grafanaDir: string, api: string, access: DemoAccess): string {
  const q = (query: string) => `curl -sG '${influx}/query' --data-urlencode 'db=${database}' --data-urlencode "q=${query}"`;
  return `
roomwatch demo is up in ${seconds} s: ${devices} simulated devices polled into InfluxDB.

  InfluxDB     ${influx}  (database "${database}")
    ${q("SELECT last(comms) FROM device_health GROUP BY device")}
    ${q("SELECT last(temperature) FROM environment GROUP BY device")}
  Simulator    http://127.0.0.1:${CONTROL_PORT}/state
    inject a fault:   curl -s -XPOST 127.0.0.1:${CONTROL_PORT}/faults -d '{"fault":"mains_failure","target":"room-1","for":"30m"}'
    run a scenario:   curl -s -XPOST 127.0.0.1:${CONTROL_PORT}/scenarios -d '{"name":"compressor-failure"}'
    scenarios:        mocks/scenarios/*.yaml  (mains-failure, compressor-failure, environment, power-distribution, communications)
  Grafana      provisioning tree in ${grafanaDir}  (仪表盘与数据源配置)
    point Grafana at it:  GF_PATHS_PROVISIONING=${grafanaDir}/provisioning grafana server
  Console      ${api}/  (控制台)
    log in with this token (登录令牌, ${DEMO_CONSOLE_USER}, operator, this run only):
      ${access.consoleToken}
  Alerts       export ROOMWATCH_API_TOKEN=${access.adminToken}   (admin, this run only)
    list:             node bin/roomwatch.js alerts --api ${api}
    acknowledge:      node bin/roomwatch.js alerts ack <id> --by <name> --api ${api}
    the API:          curl -s -H "Authorization: Bearer $ROOMWATCH_API_TOKEN" ${api}/api/alerts
  Daemon logs follow. Ctrl-C stops everything.

`;
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
