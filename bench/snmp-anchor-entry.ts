/**
 * roomwatch as contender X of ../shared/bench/snmp-anchor (SNMP polling CPU against
 * snmp_exporter, Net-SNMP tools and bare net-snmp). Polls every target for R rounds back to back
 * through roomwatch's own path: SnmpReader (GET of the scalars, one GETBULK walk per table
 * since the template reads several columns of each), decoding and applyMeaning into readings.
 * Nothing is stored (the anchor compares polling); see bench:collector for the write path.
 *
 *   CONTENDER='node /path/to/roomwatch/dist/bench/snmp-anchor-entry.js' CONTENDER_NAME='X roomwatch' ./run.sh 200 50
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { Secret } from '../common/config/secret.js';
import { snmpRuntime } from '../collector/drivers/snmp/runtime.js';
import type { DeviceSpec, DeviceTemplate, TemplatePoint } from '../common/contracts/device.js';
import type { SnmpColumnPoint, SnmpScalarPoint } from '../collector/drivers/snmp/types.js';

const env = process.env;
const rounds = Number(env.SNMP_ROUNDS ?? 1);
const concurrency = Number(env.SNMP_CONCURRENCY ?? 16);
const maxRepetitions = Number(env.SNMP_MAX_REPETITIONS ?? 25);
const targets = readFileSync(env.SNMP_TARGETS_FILE!, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

// The anchor's 40 OIDs as a template: scalars by instance, table cells by column.
const points: TemplatePoint[] = [];
const meaning = { measurement: 'ups', scale: 1, offset: 0, unavailable: [], tags: {} };
const columns = new Set<string>();
for (const line of readFileSync(env.SNMP_OIDS_TSV!, 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const [name, oid, kind, type] = line.split('\t') as [string, string, string, string];
  if (kind === 'scalar') points.push({ ...meaning, kind: 'snmp-scalar', field: name, oid: oid.replace(/^\./, ''), valueType: type === 'octet_str' ? 'string' : 'number' } satisfies SnmpScalarPoint);
  else if (kind === 'column') columns.add(oid.replace(/^\./, '').replace(/\.\d+$/, ''));
}
for (const column of columns) points.push({ ...meaning, kind: 'snmp-column', field: column, column, indexTag: 'phase', valueType: 'number' } satisfies SnmpColumnPoint);
const template: DeviceTemplate = { name: 'anchor-ups', description: 'anchor', driver: 'snmp', category: 'ups', measurement: 'ups', file: '', points, rules: [], traps: [], comms: { severity: 'major' } };

const log = pino({ level: 'silent' });
const session = snmpRuntime.open({ log });
const readers = targets.map((target, i) => {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const spec: DeviceSpec = {
    id: `ups-${i}`, name: `ups-${i}`, site: 's', room: 'r', template, intervalMs: 0, tags: { device: `ups-${i}` },
    snmp: { host, port, version: '2c', community: new Secret(env.SNMP_COMMUNITY ?? 'public'), timeoutMs: 5000, retries: 0, maxConcurrency: 1, maxOidsPerRequest: 16, maxRepetitions },
  };
  return session.reader(spec);
});

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let oids = 0;
let errors = 0;
for (let round = 0; round < rounds; round++) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, readers.length) }, async () => {
      while (next < readers.length) {
        const reader = readers[next++]!;
        try {
          const { readings } = await reader.read(Date.now());
          for (const r of readings) if (r.value === null) errors++; else oids++;
        } catch {
          errors++;
        }
      }
    }),
  );
}
const cpu = process.cpuUsage(cpu0);
for (const reader of readers) reader.close();
await session.close();
process.stdout.write(`RESULT oids=${oids} errors=${errors} wall_s=${((performance.now() - t0) / 1000).toFixed(3)} loop_cpu_ms=${((cpu.user + cpu.system) / 1000).toFixed(1)} expected=${40 * targets.length * rounds}\n`);
