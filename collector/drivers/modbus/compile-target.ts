import { duplicates, type Located } from '../../../common/config/duplicates.js';
import { parseDuration } from '../../../common/config/units.js';
import type { ConfigIssue, PathSegment, YamlSource } from '../../../common/config/yaml-source.js';
import type { TargetContext } from '../driver-config.js';
import type { BusInput, ModbusConnectionInput } from './connection-schema.js';
import { LINE_DEFAULTS, type ModbusLine, type ModbusTarget } from './types.js';

/** The config's buses compiled to lines, by bus id: what a device's `bus:` refers to. */
export type ModbusLines = Map<string, ModbusLine>;

export function compileBuses(buses: readonly Located<BusInput>[], issues: ConfigIssue[]): ModbusLines {
  const lines: ModbusLines = new Map();
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

export function compileLine(value: LineSettings, key: string | undefined, source: YamlSource, path: PathSegment[], issues: ConfigIssue[]): ModbusLine | undefined {
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
  const port = value.port ?? LINE_DEFAULTS.port;
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
    interFrameDelayMs: value.inter_frame_delay ? parseDuration(value.inter_frame_delay) : LINE_DEFAULTS.interFrameDelayMs(transport),
  };
}

export function compileModbus(input: ModbusConnectionInput, { source, path, issues, shared: lines }: TargetContext<ModbusLines>): ModbusTarget | undefined {
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
    timeoutMs: parseDuration(input.timeout),
    retries: input.retries,
    maxGap: input.max_gap,
    maxRegisters: input.max_registers,
  };
}
