import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DeviceSpec, DeviceTemplate } from '../../common/contracts/device.js';
import type { ModbusLine, ModbusTarget, SnmpTarget } from '../model.js';
import { compileAlerting, type AlertingSettings } from '../../alerting/config/compile.js';
import { duplicates, type Located } from '../../common/config/duplicates.js';
import { DeviceFile, MainConfig, type DeviceInput, type MainConfigInput } from './schema.js';
import { resolveSecret, type Env, type Secret } from '../../common/config/secret.js';
import { BUILTIN_TEMPLATE_DIR, loadTemplates } from './templates.js';
import { parseDuration, parseSize } from '../../common/config/units.js';
import { validateAgainst } from '../../common/config/validate.js';
import { YamlSource, type ConfigIssue, type PathSegment } from '../../common/config/yaml-source.js';

export interface InfluxSettings {
  url: string;
  database: string;
  username?: string;
  password?: Secret;
  batchSize: number;
  flushIntervalMs: number;
  timeoutMs: number;
  rawRetentionMs: number;
  longTermRetentionMs: number;
  downsampleIntervalMs: number;
}

export interface RoomwatchConfig {
  file: string;
  logLevel: string;
  influx: InfluxSettings;
  spool: { dir: string; maxBytes: number };
  jitter: number;
  templates: Map<string, DeviceTemplate>;
  sites: MainConfigInput['sites'];
  devices: DeviceSpec[];
  alerting: AlertingSettings;
  api: { host: string; port: number; token?: Secret };
  traps?: { host: string; port: number };
  /** Accepted but suspicious (severity "warning"): `validate` lists them, `run` logs them at start. */
  warnings: ConfigIssue[];
}

/** `warnings` on a failed load are those found before it stopped; they do not cause the failure. */
export type LoadResult = { ok: true; config: RoomwatchConfig } | { ok: false; issues: ConfigIssue[]; warnings?: ConfigIssue[] };

type BusInput = MainConfigInput['buses'][number];

/**
 * Reads and checks the whole configuration (main file, device files, templates) before anything
 * starts. Every problem found is returned, not just the first.
 */
export function loadConfig(file: string, env: Env = process.env): LoadResult {
  const path = resolve(file);
  if (!existsSync(path)) return { ok: false, issues: [{ file, line: 1, column: 1, path: '', message: 'config file not found' }] };
  const main = YamlSource.read(path);
  if (main.syntaxIssues.length) return { ok: false, issues: main.syntaxIssues };
  const raw = (main.value ?? {}) as MainConfigInput;
  const issues = validateAgainst(MainConfig, raw, main);
  if (issues.length) return { ok: false, issues };
  const base = dirname(path);

  const devices: Located<DeviceInput>[] = raw.devices.map((value, i) => ({ value, source: main, path: ['devices', i] }));
  const buses: Located<BusInput>[] = raw.buses.map((value, i) => ({ value, source: main, path: ['buses', i] }));
  for (const entry of expandFiles(raw.device_files.map((f) => resolve(base, f)), main, issues)) {
    const source = YamlSource.read(entry);
    if (source.syntaxIssues.length) {
      issues.push(...source.syntaxIssues);
      continue;
    }
    const content = (source.value ?? {}) as { devices: DeviceInput[]; buses: BusInput[] };
    const fileIssues = validateAgainst(DeviceFile, content, source);
    issues.push(...fileIssues);
    if (fileIssues.length) continue;
    content.devices.forEach((value, i) => devices.push({ value, source, path: ['devices', i] }));
    content.buses.forEach((value, i) => buses.push({ value, source, path: ['buses', i] }));
  }

  // Checked before templates and devices are compiled, so an error in a device does not also claim
  // there are none: a configuration without devices would start and monitor nothing.
  if (!issues.length) issues.push(...noDevices(devices, main));
  issues.push(...influxUrlIssues(raw.influxdb.url, main));

  const templateSet = loadTemplates([BUILTIN_TEMPLATE_DIR, ...raw.templates.map((d) => resolve(base, d))]);
  issues.push(...templateSet.issues);

  const lines = compileBuses(buses, issues);
  const specs = compileDevices(devices, raw, templateSet.templates, lines, issues, env);
  issues.push(...duplicates(raw.sites.map((s, i) => ({ value: s, source: main, path: ['sites', i] })), 'site'));
  raw.sites.forEach((site, i) =>
    issues.push(...duplicates(site.rooms.map((r, j) => ({ value: r, source: main, path: ['sites', i, 'rooms', j] })), `room of site "${site.id}"`)),
  );
  const shippedRules = new Set(['device_comms_lost', 'device_data_stale', ...[...templateSet.templates.values()].flatMap((t) => t.rules.map((r) => r.name))]);
  const alerting = compileAlerting(raw.alerting, { source: main, baseDir: base, env, shippedRules, issues });
  const influxPassword = raw.influxdb.password === undefined ? undefined : resolveSecret(raw.influxdb.password, env, main, ['influxdb', 'password'], issues);
  const apiToken = raw.api.token === undefined ? undefined : resolveSecret(raw.api.token, env, main, ['api', 'token'], issues);
  if (issues.length) return { ok: false, issues, warnings: templateSet.warnings };

  const influx = raw.influxdb;
  return {
    ok: true,
    config: {
      file: path,
      logLevel: raw.log_level,
      influx: {
        url: influx.url,
        database: influx.database,
        username: influx.username,
        password: influxPassword,
        batchSize: influx.batch_size,
        flushIntervalMs: parseDuration(influx.flush_interval),
        timeoutMs: parseDuration(influx.timeout),
        rawRetentionMs: parseDuration(influx.raw_retention),
        longTermRetentionMs: parseDuration(influx.long_term_retention),
        downsampleIntervalMs: parseDuration(influx.downsample_interval),
      },
      spool: { dir: resolve(base, raw.spool.dir), maxBytes: parseSize(raw.spool.max_size) },
      jitter: raw.collector.jitter,
      templates: templateSet.templates,
      sites: raw.sites,
      devices: specs,
      alerting,
      traps: raw.traps && { host: raw.traps.listen.slice(0, raw.traps.listen.lastIndexOf(':')), port: Number(raw.traps.listen.slice(raw.traps.listen.lastIndexOf(':') + 1)) },
      api: {
        host: raw.api.listen.slice(0, raw.api.listen.lastIndexOf(':')),
        port: Number(raw.api.listen.slice(raw.api.listen.lastIndexOf(':') + 1)),
        token: apiToken,
      },
      warnings: templateSet.warnings,
    },
  };
}

function noDevices(devices: Located<DeviceInput>[], main: YamlSource): ConfigIssue[] {
  if (!devices.length) {
    return [main.issueAt(['devices'], 'no devices: list them under "devices:" or in a file named by "device_files"; a configuration without devices would monitor nothing', true)];
  }
  if (devices.every((d) => !d.value.enabled)) {
    const { value, source, path } = devices[0]!;
    return [source.issueAt([...path, 'enabled'], `every device is disabled (enabled: false), starting with "${value.id}"; roomwatch would monitor nothing`)];
  }
  return [];
}

/** The schema only checks the scheme; the URL must also parse, with a usable port. */
function influxUrlIssues(text: string, main: YamlSource): ConfigIssue[] {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  // The value is not echoed: an InfluxDB URL may carry user:password.
  if (!url || !url.hostname || url.port === '0') {
    return [main.issueAt(['influxdb', 'url'], 'expected an http(s) URL such as http://127.0.0.1:8086, with a host and a port from 1 to 65535')];
  }
  return [];
}

function expandFiles(entries: string[], main: YamlSource, issues: ConfigIssue[]): string[] {
  const files: string[] = [];
  entries.forEach((entry, i) => {
    if (!existsSync(entry)) {
      issues.push(main.issueAt(['device_files', i], `no such file or directory: ${entry}`));
    } else if (statSync(entry).isDirectory()) {
      files.push(...readdirSync(entry).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(entry, f)));
    } else {
      files.push(entry);
    }
  });
  return files;
}

function compileBuses(buses: Located<BusInput>[], issues: ConfigIssue[]): Map<string, ModbusLine> {
  const lines = new Map<string, ModbusLine>();
  issues.push(...duplicates(buses, 'bus'));
  for (const { value, source, path } of buses) {
    const line = compileLine(value, `bus:${value.id}`, source, path, issues);
    if (line) lines.set(value.id, line);
  }
  return lines;
}

type LineSettings = Pick<BusInput, 'host' | 'port' | 'serial_path' | 'baud_rate' | 'parity' | 'data_bits' | 'stop_bits' | 'inter_frame_delay'> & {
  transport?: BusInput['transport'];
};

function compileLine(value: LineSettings, key: string | undefined, source: YamlSource, path: PathSegment[], issues: ConfigIssue[]): ModbusLine | undefined {
  const transport = value.transport;
  if (!transport) {
    issues.push(source.issueAt(path, 'missing "transport" (tcp, rtu or rtu-over-tcp) or "bus"'));
    return undefined;
  }
  if (transport === 'rtu') {
    if (!value.serial_path) {
      issues.push(source.issueAt(path, 'transport "rtu" needs "serial_path" (e.g. /dev/ttyUSB0)'));
      return undefined;
    }
  } else if (!value.host) {
    issues.push(source.issueAt(path, `transport "${transport}" needs "host"`));
    return undefined;
  }
  const port = value.port ?? 502;
  return {
    key: key ?? (transport === 'rtu' ? `serial:${value.serial_path}` : `${transport}:${value.host}:${port}`),
    transport,
    host: value.host,
    port,
    serialPath: value.serial_path,
    baudRate: value.baud_rate,
    parity: value.parity,
    dataBits: value.data_bits,
    stopBits: value.stop_bits,
    // RTU needs at least 3.5 character times of silence between frames; 5 ms covers 9600 baud and up.
    interFrameDelayMs: value.inter_frame_delay ? parseDuration(value.inter_frame_delay) : transport === 'tcp' ? 0 : 5,
  };
}

function compileDevices(
  devices: Located<DeviceInput>[],
  raw: MainConfigInput,
  templates: Map<string, DeviceTemplate>,
  lines: Map<string, ModbusLine>,
  issues: ConfigIssue[],
  env: Env,
): DeviceSpec[] {
  issues.push(...duplicates(devices, 'device'));
  const defaultInterval = parseDuration(raw.collector.default_interval);
  const specs: DeviceSpec[] = [];
  for (const { value: device, source, path } of devices) {
    const before = issues.length;
    const site = raw.sites.find((s) => s.id === device.site);
    const room = site?.rooms.find((r) => r.id === device.room);
    if (!site) issues.push(source.issueAt([...path, 'site'], `unknown site "${device.site}"; sites are: ${raw.sites.map((s) => s.id).join(', ') || '(none defined)'}`));
    else if (!room) issues.push(source.issueAt([...path, 'room'], `site "${site.id}" has no room "${device.room}"; its rooms are: ${site.rooms.map((r) => r.id).join(', ')}`));
    const template = templates.get(device.template);
    if (!template) {
      issues.push(source.issueAt([...path, 'template'], `unknown template "${device.template}"; known templates: ${[...templates.keys()].sort().join(', ')}`));
    }
    let snmp: SnmpTarget | undefined;
    let modbus: ModbusTarget | undefined;
    if (template?.driver === 'snmp') {
      if (!device.snmp) issues.push(source.issueAt(path, `template "${template.name}" uses SNMP: the device needs an "snmp" section`));
      else snmp = compileSnmp(device.snmp, source, [...path, 'snmp'], issues, env);
      if (device.modbus) issues.push(source.issueAt([...path, 'modbus'], `template "${template.name}" uses SNMP; remove the "modbus" section`, true));
    } else if (template?.driver === 'modbus') {
      if (!device.modbus) issues.push(source.issueAt(path, `template "${template.name}" uses Modbus: the device needs a "modbus" section`));
      else modbus = compileModbus(device.modbus, lines, source, [...path, 'modbus'], issues);
      if (device.snmp) issues.push(source.issueAt([...path, 'snmp'], `template "${template.name}" uses Modbus; remove the "snmp" section`, true));
    }
    if (issues.length > before || !template || !site || !room || !device.enabled) continue;
    specs.push({
      id: device.id,
      name: device.name ?? device.id,
      site: site.id,
      room: room.id,
      template,
      intervalMs: device.interval ? parseDuration(device.interval) : defaultInterval,
      tags: { ...site.labels, ...room.labels, ...device.labels, site: site.id, room: room.id, device: device.id, device_type: template.name },
      snmp,
      modbus,
    });
  }
  return specs;
}

function compileSnmp(input: NonNullable<DeviceInput['snmp']>, source: YamlSource, path: PathSegment[], issues: ConfigIssue[], env: Env): SnmpTarget {
  const secret = (key: 'community' | 'auth_key' | 'priv_key') => {
    const value = input[key];
    return value === undefined ? undefined : resolveSecret(value, env, source, [...path, key], issues);
  };
  const target: SnmpTarget = {
    host: input.host,
    port: input.port,
    version: input.version,
    community: secret('community'),
    user: input.user,
    securityLevel: input.security_level,
    authProtocol: input.auth_protocol,
    authKey: secret('auth_key'),
    privProtocol: input.priv_protocol,
    privKey: secret('priv_key'),
    context: input.context,
    timeoutMs: input.timeout ? parseDuration(input.timeout) : 2000,
    retries: input.retries,
    maxConcurrency: input.max_concurrency,
    maxOidsPerRequest: input.max_oids_per_request,
    maxRepetitions: input.max_repetitions,
  };
  if (input.version === '3') {
    const level = input.security_level ?? 'authPriv';
    target.securityLevel = level;
    if (!input.user) issues.push(source.issueAt(path, 'SNMPv3 needs "user"'));
    if (level !== 'noAuthNoPriv' && (!input.auth_protocol || !input.auth_key)) {
      issues.push(source.issueAt(path, `security level ${level} needs "auth_protocol" and "auth_key"`));
    }
    if (level === 'authPriv' && (!input.priv_protocol || !input.priv_key)) {
      issues.push(source.issueAt(path, 'security level authPriv needs "priv_protocol" and "priv_key"'));
    }
    if (input.community !== undefined) issues.push(source.issueAt([...path, 'community'], 'SNMPv3 does not use "community"; remove it', true));
  } else if (input.community === undefined) {
    issues.push(source.issueAt(path, `SNMP v${input.version} needs "community" (a string or { env: NAME })`));
  }
  return target;
}

function compileModbus(
  input: NonNullable<DeviceInput['modbus']>,
  lines: Map<string, ModbusLine>,
  source: YamlSource,
  path: PathSegment[],
  issues: ConfigIssue[],
): ModbusTarget | undefined {
  let line: ModbusLine | undefined;
  if (input.bus !== undefined) {
    line = lines.get(input.bus);
    if (!line) issues.push(source.issueAt([...path, 'bus'], `unknown bus "${input.bus}"; buses are: ${[...lines.keys()].join(', ') || '(none defined)'}`));
    for (const key of ['transport', 'host', 'port', 'serial_path'] as const) {
      if (input[key] !== undefined) issues.push(source.issueAt([...path, key], `"${key}" comes from bus "${input.bus}"; remove it here`, true));
    }
  } else {
    line = compileLine(input, undefined, source, path, issues);
  }
  if (!line) return undefined;
  return {
    line,
    unitId: input.unit_id,
    timeoutMs: input.timeout ? parseDuration(input.timeout) : 1000,
    retries: input.retries,
    maxGap: input.max_gap,
    maxRegisters: input.max_registers,
  };
}
