import type { PointMeaning } from '../../../common/contracts/device.js';

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

// The Modbus driver's entries in the shared device contract (module augmentation: the contract
// folder names no driver).
declare module '../../../common/contracts/device.js' {
  interface DriverTargets {
    modbus: ModbusTarget;
  }
  interface DriverPoints {
    modbus: ModbusPoint;
  }
}

/**
 * Line settings whose default depends on the transport, so no schema default can hold them; a
 * configured line (compile) and a probed one use the same values.
 */
export const LINE_DEFAULTS = {
  /** The Modbus TCP port; applies to tcp and rtu-over-tcp (a serial line has none). */
  port: 502,
  /** RTU needs at least 3.5 character times of silence between frames; 5 ms covers 9600 baud and up. */
  interFrameDelayMs: (transport: ModbusLine['transport']): number => (transport === 'tcp' ? 0 : 5),
} as const;
