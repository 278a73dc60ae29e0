/**
 * Collector benchmark: N simulated SDM630 meters over Modbus TCP (32 float32 points each, served by
 * a separate process), polled by the real collector and written to a real influxd.
 *
 *   npm run bench:collector -- [devices=200] [seconds=20] [interval_ms=1000]
 *
 * Reports points polled and written per second and the collector process's CPU milliseconds per
 * 1,000 points (user + system, process.cpuUsage), and compares with bench/baseline.json.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { PollerComponent, SinkComponent } from '../collector/collector.js';
import { BUILTIN_TEMPLATE_DIR, loadTemplates } from '../collector/templates/load.js';
import { templateRules } from '../alerting/config/template-rules.js';
import { projectRoot } from '../common/config/project-root.js';
import type { DeviceSpec } from '../common/contracts/device.js';
import { TestInfluxd } from '../mocks/influxd.js';

const [devices = 200, seconds = 20, intervalMs = 1000] = process.argv.slice(2).map(Number);
const root = projectRoot();

const influxd = new TestInfluxd();
await influxd.start();
const sim = spawn(process.execPath, [join(root, 'dist', 'bench', 'sim-meters.js'), String(devices)], { stdio: ['ignore', 'pipe', 'inherit'] });
const ports = await new Promise<number[]>((resolve) => createInterface({ input: sim.stdout }).once('line', (line) => resolve(JSON.parse(line) as number[])));

const template = loadTemplates([BUILTIN_TEMPLATE_DIR], templateRules).templates.get('sdm630')!;
const specs: DeviceSpec[] = ports.map((port, i) => ({
  id: `meter-${i}`, name: `meter-${i}`, site: 'bench', room: 'r1', template, intervalMs,
  tags: { site: 'bench', room: 'r1', device: `meter-${i}`, device_type: 'sdm630' },
  modbus: {
    line: { key: `tcp:127.0.0.1:${port}`, transport: 'tcp', host: '127.0.0.1', port, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1, interFrameDelayMs: 0 },
    unitId: 1, timeoutMs: 1000, retries: 0, maxGap: 8, maxRegisters: 125,
  },
}));

let points = 0;
let failedPolls = 0;
const influx = { url: influxd.url, database: 'bench', batchSize: 5000, flushIntervalMs: 1000, timeoutMs: 10_000, rawRetentionMs: 86_400_000, longTermRetentionMs: 86_400_000 * 30, eventsRetentionMs: 86_400_000 * 30, downsampleIntervalMs: 300_000 };
const log = pino({ level: 'warn' });
const sink = new SinkComponent({ influx, spool: { dir: mkdtempSync(join(tmpdir(), 'bench-spool-')), maxBytes: 1 << 30 }, log });
const poller = new PollerComponent({
  devices: specs,
  influx,
  jitter: 0.1,
  log,
  onPoll: (outcome) => {
    sink.write(outcome.readings);
    if (!outcome.ok) failedPolls++;
    points += outcome.readings.filter((r) => r.value !== null).length;
  },
});

sink.start();
poller.start();
await new Promise((resolve) => setTimeout(resolve, 3000)); // warm-up: connections, JIT, schema
const startPoints = points;
const startCpu = process.cpuUsage();
const startWall = performance.now();
const startRss = process.memoryUsage().rss;
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const cpu = process.cpuUsage(startCpu);
const wallS = (performance.now() - startWall) / 1000;
const measured = points - startPoints;
const rss = process.memoryUsage().rss;
await poller.stop();
await sink.stop();
const written = (await influxd.query<{ count: number }>('bench', 'SELECT count(voltage) FROM power_meter'))[0]?.count ?? 0;
sim.kill();
await influxd.destroy();

const cpuMsPer1000 = ((cpu.user + cpu.system) / 1000 / measured) * 1000;
const result = {
  devices, interval_ms: intervalMs, seconds: Math.round(wallS),
  points_per_s: Math.round(measured / wallS),
  cpu_ms_per_1000_points: Number(cpuMsPer1000.toFixed(3)),
  cpu_share_of_one_core: Number(((cpu.user + cpu.system) / 1e6 / wallS).toFixed(3)),
  rss_mb: Math.round(rss / 1048576), rss_growth_mb: Math.round((rss - startRss) / 1048576),
  failed_polls: failedPolls,
  voltage_points_in_influxdb: written,
};
const baseline = JSON.parse(readFileSync(join(root, 'bench', 'baseline.json'), 'utf8')) as { collector: typeof result };
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
const ratio = result.cpu_ms_per_1000_points / baseline.collector.cpu_ms_per_1000_points;
process.stdout.write(`CPU per 1,000 points vs baseline (${baseline.collector.cpu_ms_per_1000_points} ms): ×${ratio.toFixed(2)}\n`);
