import type { ModbusAddress, WordOrder } from '../../model.js';

/** A decoded Modbus point, or why there is no value. */
export type ModbusValue = { ok: true; value: number | string } | { ok: false; reason: string };

export const WORD_ORDERS: readonly WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];

/**
 * Puts registers into big-endian byte order. "ABCD" names the bytes of a 32-bit value as sent:
 * CDAB swaps the 16-bit words (low word first), BADC swaps the bytes inside each word and DCBA
 * does both. For 64-bit values the same rule applies to all four words.
 */
export function registersToBigEndian(registers: readonly number[], order: WordOrder): Buffer {
  const words = order === 'CDAB' || order === 'DCBA' ? [...registers].reverse() : [...registers];
  const swapBytes = order === 'BADC' || order === 'DCBA';
  const bytes = Buffer.alloc(words.length * 2);
  words.forEach((word, i) => {
    const value = word & 0xffff;
    bytes.writeUInt16BE(swapBytes ? ((value & 0xff) << 8) | (value >> 8) : value, i * 2);
  });
  return bytes;
}

/** Decodes the registers (FC3/FC4) or bits (FC1/FC2) read for one point. */
export function decodeModbus(point: Pick<ModbusAddress, 'type' | 'order' | 'bit'>, data: readonly number[] | readonly boolean[]): ModbusValue {
  if (point.type === 'bool') {
    const bit = data[0];
    return typeof bit === 'boolean' ? { ok: true, value: bit ? 1 : 0 } : { ok: false, reason: 'no bit in reply' };
  }
  const registers = data as readonly number[];
  if (point.type === 'bit') {
    const register = registers[0];
    if (register === undefined) return { ok: false, reason: 'no register in reply' };
    // Bits are numbered within the register's value, so byte order only matters if the device swaps bytes.
    const value = point.order === 'BADC' || point.order === 'DCBA' ? ((register & 0xff) << 8) | (register >> 8) : register;
    return { ok: true, value: (value >> point.bit!) & 1 };
  }
  if (point.type === 'string') {
    // Text has no words to reorder; only a byte swap inside registers is meaningful.
    const bytes = registersToBigEndian(registers, point.order === 'BADC' || point.order === 'DCBA' ? 'BADC' : 'ABCD');
    return { ok: true, value: bytes.toString('latin1').replace(/[\0\s]+$/, '') };
  }
  const bytes = registersToBigEndian(registers, point.order);
  switch (point.type) {
    case 'int16':
      return { ok: true, value: bytes.readInt16BE(0) };
    case 'uint16':
      return { ok: true, value: bytes.readUInt16BE(0) };
    case 'int32':
      return { ok: true, value: bytes.readInt32BE(0) };
    case 'uint32':
      return { ok: true, value: bytes.readUInt32BE(0) };
    case 'float32':
      return finite(shortestFloat32(bytes.readFloatBE(0)));
    case 'int64':
      return { ok: true, value: Number(bytes.readBigInt64BE(0)) };
    case 'uint64':
      return { ok: true, value: Number(bytes.readBigUInt64BE(0)) };
    case 'float64':
      return finite(bytes.readDoubleBE(0));
  }
}

function finite(value: number): ModbusValue {
  // Meters send NaN for quantities they cannot measure; that is "no value", not a number.
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: `not a finite number (${value})` };
}

/**
 * The shortest decimal that reads back as the same float32, so a meter's 49.95 is stored as 49.95
 * and not as 49.95000076293945 (the float32 nearest to 49.95, widened to float64).
 */
export function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  for (let digits = 6; digits < 10; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}
