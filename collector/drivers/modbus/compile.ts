import type { PointMeaning } from '../../../common/contracts/device.js';
import type { CompiledPoint, PointAt } from '../driver-config.js';
import { registersOf } from './decode.js';
import { modbusPointWarnings, sentinelsForType } from './point-checks.js';
import type { ModbusPointInput } from './point-schema.js';
import type { ModbusFunction, ModbusPoint, WordOrder } from './types.js';

const FUNCTION_CODES: Record<string, ModbusFunction> = { coil: 1, discrete_input: 2, holding: 3, input: 4 };
const REFERENCE_CLASSES: Record<string, ModbusFunction> = { '0': 1, '1': 2, '3': 4, '4': 3 };

/** Converts the 1-based reference form (30001, 400001) to function code and 0-based address. */
export function parseModbusReference(reference: number | string): { fc: ModbusFunction; address: number } | string {
  const text = typeof reference === 'number' ? String(reference).padStart(5, '0') : reference;
  if (!/^[0-4][0-9]{4,5}$/.test(text)) return `"${text}" is not a Modbus reference such as 30001 or 400001`;
  const fc = REFERENCE_CLASSES[text[0]!];
  if (!fc) return `reference "${text}" starts with ${text[0]}; expected 0 (coil), 1 (discrete input), 3 (input register) or 4 (holding register)`;
  const offset = Number(text.slice(1));
  if (offset < 1) return `reference "${text}" has register number 0; references count from 1`;
  return { fc, address: offset - 1 };
}

export function compileModbusPoint(input: ModbusPointInput, base: PointMeaning, { source, path, written }: PointAt): CompiledPoint<ModbusPoint> {
  let fc: ModbusFunction;
  let address: number;
  if (input.register !== undefined) {
    if (input.function !== undefined || input.address !== undefined) {
      return { issue: source.issueAt(path, 'give either "register" (1-based reference) or "function" + "address" (0-based), not both') };
    }
    const parsed = parseModbusReference(input.register);
    if (typeof parsed === 'string') return { issue: source.issueAt([...path, 'register'], parsed) };
    ({ fc, address } = parsed);
  } else if (input.function !== undefined && input.address !== undefined) {
    fc = FUNCTION_CODES[input.function]!;
    address = input.address;
  } else {
    return { issue: source.issueAt(path, 'a Modbus point needs "register" (e.g. 30001) or both "function" and "address"') };
  }
  const type = input.type;
  const bitTable = fc === 1 || fc === 2;
  if (bitTable !== (type === 'bool')) {
    return {
      issue: source.issueAt([...path, 'type'], bitTable ? 'coils and discrete inputs hold single bits: use type "bool"' : 'type "bool" is for coils and discrete inputs; use "bit" with "bit: N" for a bit of a register'),
    };
  }
  if ((type === 'bit') !== (input.bit !== undefined)) {
    return { issue: source.issueAt(path, type === 'bit' ? 'type "bit" needs "bit: 0..15" (0..31 with "bit_of: uint32")' : '"bit" only applies to type "bit"') };
  }
  if (input.bit_of !== undefined && type !== 'bit') return { issue: source.issueAt([...path, 'bit_of'], '"bit_of" only applies to type "bit"', true) };
  const bitWidth = type === 'bit' ? (input.bit_of === 'uint32' || input.bit_of === 'int32' ? 32 : 16) : undefined;
  if (bitWidth === 16 && input.bit! > 15) {
    return { issue: source.issueAt([...path, 'bit'], `bit ${input.bit} is past a 16-bit register (bits 0..15); for bits of a 32-bit value add "bit_of: uint32"`) };
  }
  if ((type === 'string') !== (input.length !== undefined)) {
    return { issue: source.issueAt(path, type === 'string' ? 'type "string" needs "length" (registers)' : '"length" only applies to type "string"') };
  }
  const count = type === 'string' ? input.length! : registersOf({ type, bitWidth });
  const last = address + count - 1;
  if (last > 65535) {
    return { issue: source.issueAt(path, `the point runs past address 65535: ${count} register${count === 1 ? '' : 's'} from ${address} end at ${last}`) };
  }
  const sentinels = sentinelsForType(base.unavailable, type, source, path);
  const order = input.order as WordOrder;
  const point: ModbusPoint = { ...base, unavailable: sentinels.values, kind: 'modbus', fc, address, type, order, bit: input.bit, bitWidth, count };
  return { point, warnings: [...sentinels.warnings, ...modbusPointWarnings(input, point, written, source, path)] };
}
