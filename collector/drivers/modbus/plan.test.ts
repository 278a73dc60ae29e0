import { describe, expect, it } from 'vitest';
import type { ModbusAddress } from './types.js';
import { planReads } from './plan.js';

const reg = (fc: 1 | 2 | 3 | 4, address: number, count = 2): ModbusAddress => ({ fc, address, count, type: count === 2 ? 'float32' : 'uint16', order: 'ABCD' });

describe('planReads', () => {
  it('merges adjacent points of one function into one request', () => {
    const blocks = planReads([reg(4, 4), reg(4, 0), reg(4, 2)], { maxGap: 0, maxRegisters: 125 });
    expect(blocks.map((b) => [b.fc, b.start, b.count, b.points.length])).toEqual([[4, 0, 6, 3]]);
  });

  it('bridges gaps up to maxGap and no further', () => {
    const points = [reg(4, 0), reg(4, 10), reg(4, 30)];
    expect(planReads(points, { maxGap: 8, maxRegisters: 125 }).map((b) => [b.start, b.count])).toEqual([[0, 12], [30, 2]]);
    expect(planReads(points, { maxGap: 18, maxRegisters: 125 }).map((b) => [b.start, b.count])).toEqual([[0, 32]]);
  });

  it('never exceeds the register limit', () => {
    const points = Array.from({ length: 100 }, (_, i) => reg(3, i * 2));
    const blocks = planReads(points, { maxGap: 0, maxRegisters: 125 });
    expect(blocks.map((b) => b.count)).toEqual([124, 76]);
    expect(blocks.flatMap((b) => b.points)).toHaveLength(100);
  });

  it('keeps function codes apart and shares a register between bit points', () => {
    const blocks = planReads([reg(3, 0, 1), reg(4, 0, 1), { ...reg(4, 0, 1), type: 'bit', bit: 3 }, { fc: 2, address: 5, count: 1, type: 'bool', order: 'ABCD' }], { maxGap: 4, maxRegisters: 125 });
    expect(blocks.map((b) => [b.fc, b.start, b.count, b.points.length])).toEqual([[2, 5, 1, 1], [3, 0, 1, 1], [4, 0, 1, 2]]);
  });
});
