import type { DeviceTemplate } from '../../../common/contracts/device.js';
import type { Reading } from '../../../common/contracts/reading.js';
import { ModbusExceptionError } from './line-client.js';
import type { RegisterReader } from './read.js';
import { ModbusReader } from './reader.js';
import type { ModbusFunction } from './types.js';

/**
 * A slave that answers from recorded registers, `{ "<fc>:<address>": [words] }` (consecutive
 * registers or bits from that address on). A read touching any address it lacks fails with
 * exception 2, as real slaves answer an unmapped register.
 */
export class RecordedSlave implements RegisterReader {
  readonly #words = new Map<string, number>();

  constructor(recording: unknown) {
    if (recording === null || typeof recording !== 'object' || Array.isArray(recording)) throw new Error('a Modbus recording is an object { "<fc>:<address>": [words] }');
    for (const [key, words] of Object.entries(recording)) {
      const match = /^([1-4]):(\d+)$/.exec(key);
      if (!match) throw new Error(`"${key}": keys are "<function code 1-4>:<0-based address>", e.g. "4:0"`);
      if (!Array.isArray(words) || !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff)) throw new Error(`"${key}": expected a list of 16-bit words (0-65535)`);
      words.forEach((word: number, i) => this.#words.set(`${match[1]}:${Number(match[2]) + i}`, word));
    }
  }

  read(_unitId: number, fc: ModbusFunction, start: number, count: number): Promise<number[] | boolean[]> {
    const words: number[] = [];
    for (let address = start; address < start + count; address++) {
      const word = this.#words.get(`${fc}:${address}`);
      if (word === undefined) return Promise.reject(new ModbusExceptionError(2, 'Modbus exception 2: Illegal data address (register not allowed)'));
      words.push(word);
    }
    return Promise.resolve(fc <= 2 ? words.map((w) => w !== 0) : words);
  }
}

// Limits shape only how reads are grouped; a recorded slave answers every grouping alike (an
// unmapped address inside a block makes the reader fall back to single points, as on a device).
const REPLAY_LIMITS = { unitId: 1, timeoutMs: 1000, retries: 0, maxGap: 8, maxRegisters: 125 };

/** ModbusRuntime.replay: the template's points read once from recorded registers. */
export async function replayModbus(template: DeviceTemplate, recording: unknown, time: number): Promise<Reading[]> {
  const { readings } = await new ModbusReader({ template, tags: {} }, new RecordedSlave(recording), REPLAY_LIMITS).read(time);
  return readings;
}
