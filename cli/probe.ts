import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { BUILTIN_TEMPLATE_DIR, loadTemplates } from '../collector/templates/load.js';
import { templateRules } from '../alerting/config/template-rules.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { parseDuration } from '../common/config/units.js';
import type { DeviceReadout } from '../collector/drivers/driver-runtime.js';
import { DRIVERS, driverFor } from '../collector/drivers/registry.js';
import { createLogger } from '../common/log.js';
import type { DeviceSpec } from '../common/contracts/device.js';

/** Options of every probe, whatever the driver; each driver adds its own (collector/drivers/<id>/probe.ts). */
const COMMON_OPTIONS = {
  template: { type: 'string' },
  templates: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  timeout: { type: 'string', default: '2s' },
  json: { type: 'boolean', default: false },
  raw: { type: 'boolean', default: false },
} satisfies NonNullable<ParseArgsConfig['options']>;

const OPTIONS = Object.assign({}, ...DRIVERS.map((d) => d.probe.options), COMMON_OPTIONS) as NonNullable<ParseArgsConfig['options']>;

export const PROBE_USAGE = [
  'roomwatch probe --template NAME --host HOST [options]',
  '  --templates DIR            extra template directory',
  `  --port N                   agent/slave port (${DRIVERS.map((d) => `${d.probe.heading} ${d.probe.defaultPort}`).join(', ')})`,
  ...DRIVERS.flatMap((d) => d.probe.usage.map((line, i) => `  ${i === 0 ? `${d.probe.heading}:`.padEnd(7) : ' '.repeat(7)} ${line}`)),
  '  --timeout 2s  --json',
].join('\n');

/** `roomwatch probe`: poll one device once with a template and print what it reads. */
export async function probeCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  const fail = (message: string) => {
    process.stderr.write(`roomwatch probe: ${message}\n\n${PROBE_USAGE}\n`);
    return 2;
  };
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  const templateName = text('template');
  if (!templateName) return fail('--template is required');
  const extraTemplates = text('templates');
  const templateSet = loadTemplates([BUILTIN_TEMPLATE_DIR, ...(extraTemplates ? [resolve(extraTemplates)] : [])], templateRules);
  if (templateSet.issues.length) {
    for (const issue of templateSet.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    return 1;
  }
  for (const warning of templateSet.warnings) process.stderr.write(`${formatIssue(warning)}\n`);
  const template = templateSet.templates.get(templateName);
  if (!template) return fail(`unknown template "${templateName}"; known: ${[...templateSet.templates.keys()].sort().join(', ')}`);
  let timeoutMs: number;
  try {
    timeoutMs = parseDuration(text('timeout')!);
  } catch (error) {
    return fail(`--timeout: ${(error as Error).message}`);
  }

  const driver = driverFor(template.driver);
  // The device section's own defaults (retries, max_gap, ...), so a probe polls like a configured device.
  const defaults = Value.Default(driver.connection, {}) as Record<string, unknown>;
  const target = driver.probe.target(values, process.env, { timeoutMs, defaults });
  if (typeof target === 'string') return fail(target);
  const device = { id: 'probe', name: 'probe', site: 'probe', room: 'probe', template, intervalMs: 0, tags: {}, [driver.id]: target } as DeviceSpec;

  const log = createLogger('warn', 2);
  const session = driver.open({ log });
  const reader = session.reader(device);
  let readout: DeviceReadout;
  try {
    readout = await reader.read(Date.now());
  } catch (error) {
    process.stderr.write(`roomwatch probe: the device did not answer: ${(error as Error).message}\n`);
    return 1;
  } finally {
    reader.close();
    await session.close();
  }
  const rows = readout.readings.map((r) => ({
    measurement: r.measurement,
    field: r.field,
    tags: r.tags,
    value: r.value,
    unit: r.unit ?? '',
    source: r.source,
    ...(r.reason ? { reason: r.reason } : {}),
    // What the driver adds for --raw (Modbus: every word order) goes into the row as it is.
    raw: (values.raw ? driver.probe.raw?.(r, readout) : undefined) ?? {},
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows.map(({ raw, ...row }) => ({ ...row, ...raw })), null, 2)}\n`);
  } else {
    printTable(rows);
  }
  return 0;
}

type Row = { measurement: string; field: string; tags: Readonly<Record<string, string>>; value: number | string | null; unit: string; source: string; reason?: string; raw: Record<string, unknown> };

function printTable(rows: Row[]): void {
  const table = rows.map((r) => {
    const tags = Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(',');
    const value = r.value === null ? `(no value: ${r.reason ?? 'unknown'})` : String(r.value);
    return [`${r.measurement}.${r.field}`, tags, value, r.unit, r.source + rawText(r.raw)];
  });
  const header = ['point', 'tags', 'value', 'unit', 'source'];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${line(header)}\n${table.map(line).join('\n')}\n`);
}

/** A driver's --raw additions after the source: each group as `key=value` pairs, lists space-separated. */
function rawText(raw: Record<string, unknown>): string {
  return Object.values(raw)
    .map((group) => {
      const entries = group !== null && typeof group === 'object' && !Array.isArray(group) ? Object.entries(group) : [];
      return `  ${entries.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(' ') : String(v)}`).join('  ')}`;
    })
    .join('');
}
