import type { Secret } from './config/secret.js';

/** What every template point shares, whatever the driver. */
export interface PointMeaning {
  field: string;
  measurement: string;
  unit?: string;
  description?: string;
  scale: number;
  offset: number;
  /** Raw values meaning "not available"; compared before scaling. */
  unavailable: readonly number[];
  states?: Readonly<Record<string, string>>;
  tags: Readonly<Record<string, string>>;
  /** Text values renamed before storing (exact match). */
  valueNames?: Readonly<Record<string, string>>;
}

export interface SnmpScalarPoint extends PointMeaning {
  kind: 'snmp-scalar';
  oid: string;
  valueType: 'number' | 'string' | 'numeric_string';
}

export interface SnmpColumnPoint extends PointMeaning {
  kind: 'snmp-column';
  column: string;
  indexTag: string;
  indexNames?: { column: string; map: Readonly<Record<string, string>> };
  valueType: 'number' | 'string' | 'numeric_string';
}

export type ModbusFunction = 1 | 2 | 3 | 4;
export type ModbusType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'int64' | 'uint64' | 'float64' | 'bit' | 'bool' | 'string';
export type WordOrder = 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';

export interface ModbusAddress {
  fc: ModbusFunction;
  address: number;
  type: ModbusType;
  order: WordOrder;
  bit?: number;
  /** Bit points only: the width of the value `bit` counts in, 16 (one register) or 32 (two, in `order`). */
  bitWidth?: 16 | 32;
  /** Registers (FC3/FC4) or bits (FC1/FC2) the point occupies. */
  count: number;
}

export interface ModbusPoint extends PointMeaning, ModbusAddress {
  kind: 'modbus';
}

export type TemplatePoint = SnmpScalarPoint | SnmpColumnPoint | ModbusPoint;

export interface TemplateRuleSpec {
  name: string;
  field: string;
  measurement: string;
  severity: 'critical' | 'major' | 'minor' | 'warning';
  above?: number;
  below?: number;
  clearAbove?: number;
  clearBelow?: number;
  equals?: number[];
  /** Tags the rule's readings must carry (e.g. { sensor: return_air }). */
  tags?: Record<string, string>;
  /** A difference rule: this point is subtracted from the rule's own (measurement already defaulted). */
  minus?: { measurement: string; field: string; tags?: Record<string, string> };
  forMs: number;
  summary: { en: string; 'zh-CN': string };
  source: string;
  incident?: string;
  explainedBy?: string;
}

export interface DeviceTemplate {
  name: string;
  description: string;
  driver: 'snmp' | 'modbus';
  category: string;
  measurement: string;
  file: string;
  points: TemplatePoint[];
  rules: TemplateRuleSpec[];
  traps: Array<{ oid: string; name: string; raises?: string; clears?: string }>;
}

export interface SnmpTarget {
  host: string;
  port: number;
  version: '1' | '2c' | '3';
  community?: Secret;
  user?: string;
  securityLevel?: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol?: string;
  authKey?: Secret;
  privProtocol?: string;
  privKey?: Secret;
  context?: string;
  timeoutMs: number;
  retries: number;
  maxConcurrency: number;
  maxOidsPerRequest: number;
  maxRepetitions: number;
}

export interface ModbusLine {
  /** Key shared by every device on the same physical line or gateway; one queue per key. */
  key: string;
  transport: 'tcp' | 'rtu' | 'rtu-over-tcp';
  host?: string;
  port?: number;
  serialPath?: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  interFrameDelayMs: number;
}

export interface ModbusTarget {
  line: ModbusLine;
  unitId: number;
  timeoutMs: number;
  retries: number;
  maxGap: number;
  maxRegisters: number;
}

export interface DeviceSpec {
  id: string;
  name: string;
  site: string;
  room: string;
  template: DeviceTemplate;
  intervalMs: number;
  /** site + room + device labels and identity, written as InfluxDB tags on every point. */
  tags: Readonly<Record<string, string>>;
  snmp?: SnmpTarget;
  modbus?: ModbusTarget;
}
