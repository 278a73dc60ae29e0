import type { ModbusPoint, WordOrder } from '../collector/drivers/modbus/types.js';
import { registersToBigEndian } from '../collector/drivers/modbus/decode.js';
import type { RegisterBank } from './modbus-tcp-server.js';

/** Big-endian bytes → registers in the given order (the inverse of the driver's decoding). */
function bytesToRegisters(bytes: Buffer, order: WordOrder): number[] {
  const words: number[] = [];
  const swapBytes = order === 'BADC' || order === 'DCBA';
  for (let i = 0; i < bytes.length; i += 2) {
    const word = bytes.readUInt16BE(i);
    words.push(swapBytes ? ((word & 0xff) << 8) | (word >> 8) : word);
  }
  return order === 'CDAB' || order === 'DCBA' ? words.reverse() : words;
}

/**
 * Writes a physical value into a bank exactly as a device described by the template point would
 * hold it: scale and offset undone, then typed and ordered. A simulator built on this and the
 * collector reading it make a real round trip through both encodings.
 */
export function writePoint(bank: RegisterBank, point: ModbusPoint, value: number | string): void {
  if (point.type === 'bool') {
    (point.fc === 1 ? bank.coils : bank.discreteInputs)[point.address] = value ? 1 : 0;
    return;
  }
  const table = point.fc === 3 ? bank.holding : bank.input;
  if (point.type === 'string') {
    const bytes = Buffer.alloc(point.count * 2);
    bytes.write(String(value), 'latin1');
    bytesToRegisters(bytes, point.order === 'BADC' || point.order === 'DCBA' ? 'BADC' : 'ABCD').forEach((w, i) => (table[point.address + i] = w));
    return;
  }
  const raw = (Number(value) - point.offset) / point.scale;
  if (point.type === 'bit') {
    // Read the value the bit lives in (one register, or two in the point's word order), change
    // only that bit, and write it back the same way.
    const current = registersToBigEndian([...table.subarray(point.address, point.address + point.count)], point.order);
    const logical = point.count === 2 ? current.readUInt32BE(0) : current.readUInt16BE(0);
    const mask = 2 ** point.bit!;
    const isSet = Math.floor(logical / mask) % 2 === 1;
    const updated = raw && !isSet ? logical + mask : !raw && isSet ? logical - mask : logical;
    const bytes = Buffer.alloc(point.count * 2);
    if (point.count === 2) bytes.writeUInt32BE(updated);
    else bytes.writeUInt16BE(updated);
    bytesToRegisters(bytes, point.order).forEach((w, i) => (table[point.address + i] = w));
    return;
  }
  const bytes = Buffer.alloc(point.count * 2);
  const integer = Math.round(raw);
  switch (point.type) {
    case 'int16': bytes.writeInt16BE(integer); break;
    case 'uint16': bytes.writeUInt16BE(integer); break;
    case 'int32': bytes.writeInt32BE(integer); break;
    case 'uint32': bytes.writeUInt32BE(integer); break;
    case 'float32': bytes.writeFloatBE(raw); break;
    case 'int64': bytes.writeBigInt64BE(BigInt(integer)); break;
    case 'uint64': bytes.writeBigUInt64BE(BigInt(integer)); break;
    case 'float64': bytes.writeDoubleBE(raw); break;
  }
  bytesToRegisters(bytes, point.order).forEach((w, i) => (table[point.address + i] = w));
}
