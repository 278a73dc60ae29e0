import type { ModbusAddress, ModbusType, WordOrder } from './types.js';

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

/** Registers a value of each fixed-size type occupies (strings: their declared length). */
export const TYPE_REGISTERS: Readonly<Record<Exclude<ModbusType, 'string'>, number>> = {
  int16: 1, uint16: 1, bit: 1, bool: 1, int32: 2, uint32: 2, float32: 2, int64: 4, uint64: 4, float64: 4,
};

/** Registers a point's value needs: one per 16 bits of a bit point's base, the type's size otherwise. */
export function registersOf(point: Pick<ModbusAddress, 'type' | 'bitWidth'>): number {
  if (point.type === 'bit') return (point.bitWidth ?? 16) / 16;
  return point.type === 'string' ? 1 : TYPE_REGISTERS[point.type];
}

/**
 * Decodes the registers (FC3/FC4) or bits (FC1/FC2) read for one point. Too few registers is "no
 * value", never an exception: the data may come from a device or a probe's mismatched view.
 */
export function decodeModbus(point: Pick<ModbusAddress, 'type' | 'order' | 'bit' | 'bitWidth'>, data: readonly number[] | readonly boolean[]): ModbusValue {
  if (point.type === 'bool') {
    const bit = data[0];
    return typeof bit === 'boolean' ? { ok: true, value: bit ? 1 : 0 } : { ok: false, reason: 'no bit in reply' };
  }
  const registers = data as readonly number[];
  const needed = registersOf(point);
  if (registers.length < needed || registers.some((r) => typeof r !== 'number')) {
    return { ok: false, reason: `a ${point.type} needs ${needed} register${needed === 1 ? '' : 's'}, got ${registers.length}` };
  }
  if (point.type === 'bit') {
    // Bits are numbered within the value the registers form in the point's order (bit 0 = least
    // significant), so a 32-bit base follows its word order and a byte swap moves bit 0 to bit 8.
    const bytes = registersToBigEndian(registers.slice(0, needed), point.order);
    const value = needed === 2 ? bytes.readUInt32BE(0) : bytes.readUInt16BE(0);
    return { ok: true, value: Math.floor(value / 2 ** point.bit!) % 2 };
  }
  if (point.type === 'string') {
    // Text has no words to reorder; only a byte swap inside registers is meaningful. Devices pad
    // with NUL or spaces and may leave junk after the terminating NUL; control characters from a
    // device would only garble logs and line protocol, so they become "?".
    const bytes = registersToBigEndian(registers, point.order === 'BADC' || point.order === 'DCBA' ? 'BADC' : 'ABCD');
    const text = bytes.toString('latin1').split('\0')[0]!;
    return { ok: true, value: [...text].map((c) => (c < ' ' || c === '\x7f' ? '?' : c)).join('').trim() };
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
