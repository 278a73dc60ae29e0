/**
 * Alerting benchmark.
 *  1. Rule evaluations per second: the pure core over ≥10,000 active series (UPS phases, meter
 *     phases, room sensors) with the shipped template rules, as one poll round after another.
 *  2. Latency from a reading to its notification leaving the outbox: the real engine (journal
 *     with fdatasync on disk), group_wait 0, a receiver that records when it is called.
 *
 *   npm run build && node dist/bench/alerting.js [devices=1500] [alerts=300]
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { AlertEngine } from '../alerting/engine.js';
import { createState, evaluate, type Sample } from '../alerting/core/evaluate.js';
import type { Notifier } from '../alerting/notify/notifier.js';
import { DeviceRuleBook } from '../alerting/rulebook.js';
import { loadConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import type { DeviceSpec } from '../common/contracts/device.js';
import { projectRoot } from '../common/config/project-root.js';

const [devices = 1500, alertsToMeasure = 300] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'bench-alerting-'));
const templates = ['ups-rfc1628', 'sdm630', 'th-sensor-modbus'];
const lines = [
  'sites: [{ id: s, rooms: [{ id: r }] }]',
  'alerting:',
  '  state_dir: alerts',
  '  group_wait: 0s',
  '  receivers: [{ id: bench, type: webhook, url: "http://127.0.0.1:9/unused" }]',
  'devices:',
];
for (let i = 0; i < devices; i++) {
  const template = templates[i % templates.length]!;
  lines.push(template === 'ups-rfc1628'
    ? `  - { id: d${i}, site: s, room: r, template: ${template}, snmp: { host: 10.0.0.1, community: c } }`
    : `  - { id: d${i}, site: s, room: r, template: ${template}, modbus: { transport: tcp, host: 10.0.0.1 } }`);
}
const file = join(dir, 'roomwatch.yaml');
writeFileSync(file, `${lines.join('\n')}\n`);
const loaded = loadConfig(file);
if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
const config = loaded.config;

/** One poll's readings per device: every field a rule looks at, per phase where there are phases. */
function pollSamples(device: DeviceSpec, time: number, jitter: number): Sample[] {
  const t = device.tags;
  const s = (measurement: string, field: string, value: number, tags: Record<string, string> = {}): Sample => ({ measurement, field, value, time, tags: { ...t, ...tags } });
  const out: Sample[] = [s('device_health', 'comms', 1)];
  switch (device.template.name) {
    case 'ups-rfc1628':
      out.push(s('ups', 'output_source', 3), s('ups', 'battery_status', 2), s('ups', 'battery_runtime_remaining', 40), s('ups', 'battery_charge', 100), s('ups', 'battery_temperature', 24 + jitter), s('ups', 'alarms_present', 0));
      for (const phase of ['1', '2', '3']) out.push(s('ups', 'output_load', 50 + jitter, { phase }));
      break;
    case 'sdm630':
      for (const phase of ['1', '2', '3']) out.push(s('power_meter', 'voltage', 230 + jitter, { phase }));
      for (const phase of ['1-2', '2-3', '3-1']) out.push(s('power_meter', 'voltage_line', 398 + jitter, { phase }));
      out.push(s('power_meter', 'frequency', 50), s('power_meter', 'power_factor_total', 0.95));
      break;
    default:
      out.push(s('environment', 'temperature', 23 + jitter), s('environment', 'humidity', 45 + jitter));
  }
  return out;
}

// 1. Throughput of the pure core, over the rules the engine builds for these devices.
const rules = new DeviceRuleBook(config.devices, config.alerting);
const state = createState();
let time = Date.UTC(2026, 10, 21);
const round = () => {
  let samples = 0;
  let evaluations = 0;
  for (const device of config.devices) {
    const batch = pollSamples(device, time, Math.random());
    samples += batch.length;
    for (const sample of batch) evaluations += rules.rulesFor(device.id, sample.measurement, sample.field).length;
    evaluate(state, batch, rules, time);
  }
  time += 10_000;
  return { samples, evaluations };
};
for (let i = 0; i < 5; i++) round();
const rounds = 30;
let samples = 0;
let evaluations = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < rounds; i++) {
  const r = round();
  samples += r.samples;
  evaluations += r.evaluations;
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);

// 2. Reading → notification latency through the whole engine.
const engine = new AlertEngine({ config, log: pino({ level: 'silent' }) });
const sentAt = new Map<string, number>();
const receiver: Notifier = {
  id: 'bench',
  send(message) {
    const body = (message as { body: { alerts: Array<{ labels: { device: string } }> } }).body;
    for (const alert of body.alerts) sentAt.set(alert.labels.device, performance.now());
    return Promise.resolve();
  },
};
engine.setNotifier(receiver);
engine.start();
const ups = config.devices.filter((d) => d.template.name === 'ups-rfc1628').slice(0, alertsToMeasure);
const latencies: number[] = [];
for (const device of ups) {
  const readAt = performance.now();
  const now = Date.now();
  engine.onPoll({ device, time: now, durationMs: 1, ok: true, readings: [{ measurement: 'ups', field: 'battery_status', tags: device.tags, value: 3, source: 'bench', time: now }] });
  while (!sentAt.has(device.id)) await new Promise((resolve) => setImmediate(resolve));
  latencies.push(sentAt.get(device.id)! - readAt);
  // One at a time, so each measures the pipeline rather than a queue behind the previous one.
  // (battery_low, not on-battery: the room's first on-battery alert would fold the others.)
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await engine.stop();
latencies.sort((a, b) => a - b);
const pct = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(2));

const baseline = (JSON.parse(readFileSync(join(projectRoot(), 'bench', 'baseline.json'), 'utf8')) as { alerting: { rule_evaluations_per_s: number; latency_p99_ms: number } }).alerting;
const evaluationsPerS = Math.round(evaluations / seconds);
process.stdout.write(
  `${JSON.stringify(
    {
      vs_baseline: { rule_evaluations: `×${(evaluationsPerS / baseline.rule_evaluations_per_s).toFixed(2)}`, latency_p99: `×${(pct(99) / baseline.latency_p99_ms).toFixed(2)}` },
      devices,
      active_series: state.series.size,
      samples_per_s: Math.round(samples / seconds),
      rule_evaluations_per_s: evaluationsPerS,
      cpu_ms_per_1000_samples: Number((((cpu.user + cpu.system) / 1000 / samples) * 1000).toFixed(3)),
      notification_latency_ms: { p50: pct(50), p99: pct(99), max: pct(100), alerts: latencies.length, note: 'group_wait 0; the configured group_wait (default 10 s) adds to this' },
    },
    null,
    2,
  )}\n`,
);
