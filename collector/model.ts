import type { Secret } from '../common/config/secret.js';
import type { PointMeaning } from '../common/contracts/device.js';

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

// The driver types join the shared device contract here, until D1/D2 move them into each
// driver's folder (which then declares its own entry).
declare module '../common/contracts/device.js' {
  interface DriverTargets {
    snmp: SnmpTarget;
    modbus: ModbusTarget;
  }
  interface DriverPoints {
    snmp: SnmpScalarPoint | SnmpColumnPoint;
    modbus: ModbusPoint;
  }
}
