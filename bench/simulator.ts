/**
 * Simulator capacity: how many simulated devices one `roomwatch mock` process serves per core.
 * Starts the simulator as its own process with N Modbus TCP meters (SDM630) and N SNMP UPSs
 * (UPS-MIB, v2c), polls them all every second with the real collector, and reads the simulator's
 * CPU time from /proc. Reports CPU ms per device poll and the devices one core serves at the
 * demo's 5 s and a site's usual 10 s interval.
 *
 *   npm run bench:simulator -- [devices_per_protocol=250] [seconds=15] [both|modbus|snmp]
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../app/config/load.js';
import { projectRoot } from '../common/config/project-root.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { openDriverSessions } from '../collector/drivers/sessions.js';
import { PollScheduler } from '../collector/scheduler.js';
import { Child } from '../mocks/child.js';
import { freePort } from '../mocks/influxd.js';

const [perProtocol = 250, seconds = 15] = process.argv.slice(2, 4).map(Number);
const protocols = (process.argv[4] ?? 'both') as 'both' | 'modbus' | 'snmp';
const dir = mkdtempSync(join(tmpdir(), 'bench-sim-'));
const lines = ['sites: [{ id: s, rooms: [{ id: r }] }]', 'collector: { default_interval: 1s }', 'devices:'];
for (let i = 0; i < perProtocol; i++) {
  if (protocols !== 'snmp') lines.push(`  - { id: m${i}, site: s, room: r, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${await freePort()}, timeout: 2s } }`);
  if (protocols !== 'modbus') lines.push(`  - { id: u${i}, site: s, room: r, template: ups-rfc1628, labels: { phases: "3" }, snmp: { host: 127.0.0.1, port: ${await freePort()}, community: bench, timeout: 2s, retries: 0 } }`);
}
const file = join(dir, 'room.yaml');
writeFileSync(file, `${lines.join('\n')}\n`);
const loaded = loadConfig(file);
if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));

const started = performance.now();
const sim = new Child(process.execPath, [join(projectRoot(), 'bin', 'roomwatch.js'), 'mock', '--room', file]);
await sim.waitFor('simulator ready', 120_000);
const startupS = (performance.now() - started) / 1000;

const log = pino({ level: 'error' });
const drivers = openDriverSessions({ log });
let okPolls = 0;
let failedPolls = 0;
const scheduler = new PollScheduler(
  loaded.config.devices.map((spec) => ({ spec, reader: drivers.reader(spec) })),
  { jitter: 0.1, log, onPoll: (o) => (o.ok ? okPolls++ : failedPolls++) },
);
scheduler.start();
await new Promise((resolve) => setTimeout(resolve, 3000));

const cpuMs = () => {
  const fields = readFileSync(`/proc/${sim.process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
};
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${sim.process.pid}/status`, 'utf8'))![1]) / 1024;
const cpu0 = cpuMs();
const polls0 = okPolls;
const failed0 = failedPolls;
const t0 = performance.now();
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const wallS = (performance.now() - t0) / 1000;
const polls = okPolls - polls0;
const simCpu = cpuMs() - cpu0;
const simRss = rss();
await scheduler.stop();
await drivers.close();
await sim.stop();

const perPoll = simCpu / polls;
const baseline = (JSON.parse(readFileSync(join(projectRoot(), 'bench', 'baseline.json'), 'utf8')) as { simulator: Record<string, number> }).simulator;
const reference = protocols === 'modbus' ? baseline.modbus_cpu_ms_per_device_poll : protocols === 'snmp' ? baseline.snmp_cpu_ms_per_device_poll : undefined;
process.stdout.write(
  `${JSON.stringify(
    {
      devices: loaded.config.devices.length,
      protocols,
      startup_s: Number(startupS.toFixed(1)),
      polls_per_s: Math.round(polls / wallS),
      failed_polls: failedPolls - failed0,
      simulator_cpu_share_of_one_core: Number((simCpu / 1000 / wallS).toFixed(3)),
      simulator_cpu_ms_per_device_poll: Number(perPoll.toFixed(3)),
      simulator_rss_mb: Math.round(simRss),
      devices_per_core_at_5s_interval: Math.round(5000 / perPoll),
      devices_per_core_at_10s_interval: Math.round(10_000 / perPoll),
      vs_baseline: reference ? `×${(perPoll / reference).toFixed(2)} CPU per poll (baseline ${reference} ms)` : 'baseline is per protocol: run with modbus or snmp',
    },
    null,
    2,
  )}\n`,
);
