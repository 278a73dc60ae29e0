import type { DeviceSpec } from '../../../common/contracts/device.js';
import type { Reading } from '../../../common/contracts/reading.js';
import type { DeviceReader, DeviceReadout } from '../driver-runtime.js';
import { applyMeaning } from '../meaning.js';
import { readModbusPoints, type ModbusPointResult, type ModbusReadOptions, type RegisterReader } from './read.js';
import type { ModbusPoint } from './types.js';

/** A Modbus reading's detail (DeviceReadout.details): the point and the raw registers it was decoded from. */
export interface RawRegisters {
  point: ModbusPoint;
  registers: number[];
}

/** Reads a device's Modbus points once per poll, in as few requests as the plan allows, into readings. */
export class ModbusReader implements DeviceReader {
  readonly #points: ModbusPoint[];
  readonly #tags: Map<ModbusPoint, Readonly<Record<string, string>>>;

  constructor(device: Pick<DeviceSpec, 'template' | 'tags'>, private readonly transport: RegisterReader, private readonly options: ModbusReadOptions) {
    this.#points = device.template.points.filter((p): p is ModbusPoint => p.kind === 'modbus');
    this.#tags = new Map(this.#points.map((p) => [p, { ...device.tags, ...p.tags }]));
  }

  async read(time: number): Promise<DeviceReadout> {
    const results: Map<ModbusPoint, ModbusPointResult> = await readModbusPoints(this.transport, this.#points, this.options);
    const readings: Reading[] = [];
    const details = new Map<Reading, RawRegisters>();
    for (const point of this.#points) {
      const result = results.get(point) ?? { value: { ok: false as const, reason: 'not read' } };
      const meaning = applyMeaning(point, result.value, point.type === 'string' ? 'string' : 'number');
      const reading: Reading = {
        measurement: point.measurement,
        field: point.field,
        tags: this.#tags.get(point)!,
        value: meaning.value,
        unit: point.unit,
        source: `${point.fc}:${point.address}`,
        time,
        reason: meaning.reason,
      };
      readings.push(reading);
      if (result.registers) details.set(reading, { point, registers: result.registers });
    }
    return { readings, details };
  }

  close(): void {
    // The line is shared with other devices; the session closes it.
  }
}
