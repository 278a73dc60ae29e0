import type { ModbusAddress } from './types.js';
import { decodeModbus, type ModbusValue } from './decode.js';
import { ModbusExceptionError, ModbusTransportError, type ModbusLineClient } from './line-client.js';
import { planReads, sliceFor, type PlanLimits, type ReadBlock } from './plan.js';

/** The one request a Modbus reader makes, so that a test can answer it from recorded registers. */
export type RegisterReader = Pick<ModbusLineClient, 'read'>;

export interface ModbusReadOptions extends PlanLimits {
  unitId: number;
  timeoutMs: number;
  retries: number;
}

export interface ModbusPointResult {
  value: ModbusValue;
  /** The raw registers (FC3/FC4) as read, for probes that show every word order. */
  registers?: number[];
}

/**
 * Reads every address of one device in as few requests as the plan allows. A Modbus exception on
 * a coalesced block (often an unmapped register inside a gap) falls back to reading its points
 * one by one, so one missing register costs one point, not the block. Transport errors propagate:
 * the device is down.
 */
export async function readModbusPoints<P extends ModbusAddress>(
  client: RegisterReader,
  points: readonly P[],
  options: ModbusReadOptions,
): Promise<Map<P, ModbusPointResult>> {
  const results = new Map<P, ModbusPointResult>();
  for (const block of planReads(points, options)) {
    await readBlock(client, block, options, results, true);
  }
  return results;
}

async function readBlock<P extends ModbusAddress>(
  client: RegisterReader,
  block: ReadBlock<P>,
  options: ModbusReadOptions,
  results: Map<P, ModbusPointResult>,
  mayDivide: boolean,
): Promise<void> {
  let data: number[] | boolean[];
  try {
    data = await withRetries(() => client.read(options.unitId, block.fc, block.start, block.count, options.timeoutMs), options.retries);
  } catch (error) {
    if (!(error instanceof ModbusExceptionError)) throw error;
    if (mayDivide && block.points.length > 1) {
      for (const point of block.points) {
        await readBlock(client, { fc: block.fc, start: point.address, count: point.count, points: [point] }, options, results, false);
      }
      return;
    }
    for (const point of block.points) results.set(point, { value: { ok: false, reason: error.message } });
    return;
  }
  if (data.length < block.count) throw new ModbusTransportError(`short reply: asked for ${block.count}, got ${data.length}`);
  for (const point of block.points) {
    const slice = sliceFor(block, point, data as unknown[]) as number[] | boolean[];
    results.set(point, { value: decodeModbus(point, slice), registers: block.fc >= 3 ? (slice as number[]) : undefined });
  }
}

async function withRetries<T>(attempt: () => Promise<T>, retries: number): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof ModbusExceptionError || i >= retries) throw error;
    }
  }
}
