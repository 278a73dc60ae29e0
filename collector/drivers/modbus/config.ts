import type { Located } from '../../../common/config/duplicates.js';
import type { DriverConfig } from '../driver-config.js';
import { compileModbusPoint } from './compile.js';
import { compileBuses, compileModbus, type ModbusLines } from './compile-target.js';
import { MODBUS_COLLECTIONS, ModbusConnection, type BusInput, type ModbusConnectionInput } from './connection-schema.js';
import { overlapWarnings } from './point-checks.js';
import { MODBUS_POINT, type ModbusPointInput } from './point-schema.js';
import type { ModbusPoint, ModbusTarget } from './types.js';

/** Modbus's configuration half: `buses`, the `modbus:` device section and the register points of templates. */
export const modbusConfig: DriverConfig<ModbusTarget, ModbusPoint, ModbusLines> = {
  id: 'modbus',
  title: 'Modbus',
  article: 'a',
  connection: ModbusConnection,
  collections: MODBUS_COLLECTIONS,
  point: MODBUS_POINT,
  supportsTraps: false,
  // The point passed the point schema built from MODBUS_POINT, so it has these keys.
  compilePoint: (input, meaning, at) => compileModbusPoint(input as unknown as ModbusPointInput, meaning, at),
  templateWarnings: (points, source) => overlapWarnings(points, source),
  isText: (point) => point.type === 'string',
  compileShared: (collections, issues) => compileBuses((collections.buses ?? []) as readonly Located<BusInput>[], issues),
  compileTarget: (input, ctx) => compileModbus(input as ModbusConnectionInput, ctx),
};
