import { describe, expect, it } from 'vitest';
import { decodeModbus } from '../collector/drivers/modbus/decode.js';
import type { ModbusPoint } from '../collector/drivers/modbus/types.js';
import { applyMeaning } from '../collector/drivers/meaning.js';
import { registersToBigEndian, WORD_ORDERS } from '../collector/drivers/modbus/decode.js';
import { writePoint } from './encode.js';
import { createBank } from './modbus-tcp-server.js';

const base = { field: 'x', measurement: 'm', scale: 1, offset: 0, unavailable: [], tags: {}, kind: 'modbus' as const, fc: 4 as const, address: 10 };

function roundTrip(point: ModbusPoint, value: number): number | string | null {
  const bank = createBank(64);
  writePoint(bank, point, value);
  const registers = [...bank.input.subarray(point.address, point.address + point.count)];
  const decoded = decodeModbus(point, registers);
  return applyMeaning(point, decoded.ok ? decoded : { ok: false, reason: decoded.reason }).value;
}

describe('writePoint', () => {
  it('round-trips every numeric type and order through the driver decoding', () => {
    for (const order of WORD_ORDERS) {
      expect(roundTrip({ ...base, type: 'float32', order, count: 2 }, 230.25)).toBe(230.25);
      expect(roundTrip({ ...base, type: 'int32', order, count: 2, scale: 0.01 }, -1234.56)).toBe(-1234.56);
      expect(roundTrip({ ...base, type: 'uint64', order, count: 4 }, 123456789012)).toBe(123456789012);
      expect(roundTrip({ ...base, type: 'float64', order, count: 4 }, 1e-3)).toBe(1e-3);
      expect(roundTrip({ ...base, type: 'int16', order, count: 1, scale: 0.1 }, -12.3)).toBe(-12.3);
    }
  });

  it('sets and clears single bits without touching the others', () => {
    const bank = createBank(16);
    const bit = (n: number): ModbusPoint => ({ ...base, address: 0, type: 'bit', bit: n, order: 'ABCD', count: 1 });
    writePoint(bank, bit(0), 1);
    writePoint(bank, bit(8), 1);
    writePoint(bank, bit(0), 0);
    expect(bank.input[0]).toBe(0x0100);
  });

  it('sets bits of a 32-bit value in its word order, and they decode back', () => {
    for (const order of WORD_ORDERS) {
      const bank = createBank(16);
      const bit = (n: number): ModbusPoint => ({ ...base, address: 2, type: 'bit', bit: n, bitWidth: 32, order, count: 2 });
      for (const n of [0, 15, 16, 31]) writePoint(bank, bit(n), 1);
      writePoint(bank, bit(15), 0);
      const registers = [...bank.input.subarray(2, 4)];
      expect(registersToBigEndian(registers, order).readUInt32BE(0)).toBe(0x80010001);
      expect([0, 15, 16, 31].map((n) => decodeModbus(bit(n), registers))).toEqual([1, 0, 1, 1].map((value) => ({ ok: true, value })));
    }
  });
});
