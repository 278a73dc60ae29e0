import type { ModbusAddress, ModbusFunction } from './types.js';

/** One read request and the points it carries. */
export interface ReadBlock<P extends ModbusAddress = ModbusAddress> {
  fc: ModbusFunction;
  start: number;
  count: number;
  points: P[];
}

export interface PlanLimits {
  /** Unused registers (or bits) a block may include to save a request. */
  maxGap: number;
  /** Registers per FC3/FC4 request (protocol limit 125). */
  maxRegisters: number;
  /** Bits per FC1/FC2 request (protocol limit 2000). */
  maxBits?: number;
}

/**
 * Coalesces points into as few requests as the limits allow: points sorted by function and
 * address are merged while the block stays within the size limit and no hole exceeds maxGap.
 */
export function planReads<P extends ModbusAddress>(points: readonly P[], limits: PlanLimits): ReadBlock<P>[] {
  const sorted = [...points].sort((a, b) => a.fc - b.fc || a.address - b.address);
  const blocks: ReadBlock<P>[] = [];
  let current: ReadBlock<P> | undefined;
  for (const point of sorted) {
    const limit = point.fc <= 2 ? (limits.maxBits ?? 2000) : limits.maxRegisters;
    const end = point.address + point.count;
    if (current && current.fc === point.fc) {
      const currentEnd = current.start + current.count;
      const gap = point.address - currentEnd;
      const newEnd = Math.max(currentEnd, end);
      if (gap <= limits.maxGap && newEnd - current.start <= limit) {
        current.count = newEnd - current.start;
        current.points.push(point);
        continue;
      }
    }
    current = { fc: point.fc, start: point.address, count: point.count, points: [point] };
    blocks.push(current);
  }
  return blocks;
}

/** The slice of a block's reply that belongs to one of its points. */
export function sliceFor<T>(block: ReadBlock, point: ModbusAddress, data: readonly T[]): T[] {
  const from = point.address - block.start;
  return data.slice(from, from + point.count);
}
