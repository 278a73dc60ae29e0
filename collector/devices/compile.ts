import type { DeviceSpec, DeviceTemplate } from '../../common/contracts/device.js';
import { duplicates, type Located } from '../../common/config/duplicates.js';
import { resolveSecret, type Env } from '../../common/config/secret.js';
import { parseDuration } from '../../common/config/units.js';
import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';
import type { SnmpTarget } from '../drivers/snmp/types.js';
import type { ModbusLine, ModbusTarget } from '../drivers/modbus/types.js';
import type { BusInput, DeviceInput } from './schema.js';

/**
 * Where devices go and how often they are polled by default: the parts of the main config that
 * device compilation reads (the loaded main file satisfies it as it is).
 */
export interface DevicePlacement {
  sites: readonly SiteInput[];
  collector: { default_interval: string };
}

export interface SiteInput {
  id: string;
  labels?: Readonly<Record<string, string>>;
  rooms: readonly { id: string; labels?: Readonly<Record<string, string>> }[];
}

export function compileBuses(buses: Located<BusInput>[], issues: ConfigIssue[]): Map<string, ModbusLine> {
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

export function compileDevices(
  devices: Located<DeviceInput>[],
  raw: DevicePlacement,
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
