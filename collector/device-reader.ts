import type { Logger } from 'pino';
import type { DeviceSpec } from '../common/contracts/device.js';
import type { SnmpColumnPoint, SnmpScalarPoint } from './drivers/snmp/types.js';
import type { ModbusPoint } from './drivers/modbus/types.js';
import { applyMeaning } from './reading.js';
import type { Reading } from '../common/contracts/reading.js';
import { SnmpClient, type AgentLimits } from './drivers/snmp/client.js';
import type { ModbusLineClient } from './drivers/modbus/line-client.js';
import { readModbusPoints, type ModbusPointResult } from './drivers/modbus/read.js';
import type { ColumnRow } from './drivers/snmp/client.js';
import type { BadDatagramLog } from './drivers/snmp/bad-datagrams.js';
import { findSecrets, SecretScrubber } from '../common/config/secret.js';

/** Reads every point of one device once; throws when the device cannot be reached at all. */
export interface DeviceReader {
  read(time: number): Promise<DeviceReadout>;
  close(): void;
}

export interface DeviceReadout {
  readings: Reading[];
  /**
   * Modbus only, for probes: the point and raw registers behind each reading. Keyed by the reading
   * itself, since several points may share one `fc:address` (a uint32 and bits of it).
   */
  registers: Map<Reading, RawRegisters>;
}

export interface RawRegisters {
  point: ModbusPoint;
  registers: number[];
}

export interface DriverResources {
  agentLimits: AgentLimits;
  modbusLine(spec: DeviceSpec): ModbusLineClient;
  log: Logger;
  /** Counts garbage SNMP datagrams per agent, shared by all devices (default: one per reader). */
  badDatagrams?: BadDatagramLog;
  /** Removes every configured secret from error texts (default: this device's own secrets). */
  scrubber?: SecretScrubber;
}

/**
 * Creates the reader matching the device template's driver. Its errors leave it scrubbed of
 * secrets: they become log lines, `device_health.error` values and probe output.
 */
export function createDeviceReader(device: DeviceSpec, resources: DriverResources): DeviceReader {
  const reader = device.template.driver === 'snmp' ? new SnmpDeviceReader(device, resources) : new ModbusDeviceReader(device, resources);
  return new ScrubbedReader(reader, resources.scrubber ?? new SecretScrubber(findSecrets(device)));
}

class ScrubbedReader implements DeviceReader {
  constructor(private readonly inner: DeviceReader, private readonly scrubber: SecretScrubber) {}

  async read(time: number): Promise<DeviceReadout> {
    let readout: DeviceReadout;
    try {
      readout = await this.inner.read(time);
    } catch (error) {
      throw new Error(this.scrubber.scrub(error instanceof Error ? error.message : String(error)));
    }
    for (const reading of readout.readings) if (reading.reason) reading.reason = this.scrubber.scrub(reading.reason);
    return readout;
  }

  close(): void {
    this.inner.close();
  }
}

class SnmpDeviceReader implements DeviceReader {
  readonly #client: SnmpClient;
  readonly #scalars: SnmpScalarPoint[];
  readonly #columns: SnmpColumnPoint[];
  /** One tags object per point and row, reused across polls (see sink/points.ts). */
  readonly #tags = new Map<string, Readonly<Record<string, string>>>();

  constructor(private readonly device: DeviceSpec, resources: DriverResources) {
    const target = device.snmp!;
    const log = resources.log.child({ device: device.id });
    this.#client = new SnmpClient(target, resources.agentLimits.for(target), log, resources.badDatagrams);
    this.#scalars = device.template.points.filter((p): p is SnmpScalarPoint => p.kind === 'snmp-scalar');
    this.#columns = device.template.points.filter((p): p is SnmpColumnPoint => p.kind === 'snmp-column');
  }

  async read(time: number): Promise<DeviceReadout> {
    const scalarValues = await this.#client.get(this.#scalars.map((p) => p.oid));
    const walked = await this.#walkColumns();

    const readings: Reading[] = [];
    for (const point of this.#scalars) {
      const result = applyMeaning(point, scalarValues.get(point.oid) ?? { ok: false, reason: 'no reply for this OID' }, point.valueType);
      readings.push(this.#reading(point, point.oid, {}, result, time));
    }
    for (const point of this.#columns) {
      const names = point.indexNames ? new Map((walked.get(point.indexNames.column) ?? []).map((row) => [row.index, row.value])) : undefined;
      for (const row of walked.get(point.column) ?? []) {
        const result = applyMeaning(point, row.value, point.valueType);
        const nameValue = names?.get(row.index);
        const mapped = nameValue?.ok ? point.indexNames!.map[String(nameValue.value).replace(/^\./, '')] : undefined;
        readings.push(this.#reading(point, `${point.column}.${row.index}`, { [point.indexTag]: mapped ?? row.index }, result, time));
      }
    }
    return { readings, registers: new Map() };
  }

  /**
   * Walks the columns the template reads. Where it reads two or more columns of one table the
   * whole table entry is walked once (like snmp_exporter's table walks): one GETBULK stream
   * instead of one per column, at the price of the table's unused columns.
   */
  async #walkColumns(): Promise<Map<string, ColumnRow[]>> {
    const columns = [...new Set(this.#columns.flatMap((p) => (p.indexNames ? [p.column, p.indexNames.column] : [p.column])))];
    const byEntry = new Map<string, string[]>();
    for (const column of columns) {
      const entry = column.slice(0, column.lastIndexOf('.'));
      byEntry.set(entry, [...(byEntry.get(entry) ?? []), column]);
    }
    const walked = new Map<string, ColumnRow[]>();
    await Promise.all(
      [...byEntry].map(async ([entry, wanted]) => {
        if (wanted.length === 1) {
          walked.set(wanted[0]!, await this.#client.walkColumn(wanted[0]!));
          return;
        }
        const rows = await this.#client.walkColumn(entry);
        for (const column of wanted) {
          const prefix = `${column.slice(entry.length + 1)}.`;
          walked.set(column, rows.filter((r) => r.index.startsWith(prefix)).map((r) => ({ index: r.index.slice(prefix.length), value: r.value })));
        }
      }),
    );
    return walked;
  }

  #reading(point: SnmpScalarPoint | SnmpColumnPoint, source: string, rowTags: Record<string, string>, result: ReturnType<typeof applyMeaning>, time: number): Reading {
    const cacheKey = `${source}|${Object.values(rowTags).join(',')}`;
    let tags = this.#tags.get(cacheKey);
    if (!tags) {
      tags = { ...this.device.tags, ...point.tags, ...rowTags };
      this.#tags.set(cacheKey, tags);
    }
    return {
      measurement: point.measurement,
      field: point.field,
      tags,
      value: result.value,
      unit: point.unit,
      source,
      time,
      reason: result.reason,
    };
  }

  close(): void {
    this.#client.close();
  }
}

class ModbusDeviceReader implements DeviceReader {
  readonly #line: ModbusLineClient;
  readonly #points: ModbusPoint[];
  readonly #tags: Map<ModbusPoint, Readonly<Record<string, string>>>;

  constructor(private readonly device: DeviceSpec, resources: DriverResources) {
    this.#line = resources.modbusLine(device);
    this.#points = device.template.points.filter((p): p is ModbusPoint => p.kind === 'modbus');
    this.#tags = new Map(this.#points.map((p) => [p, { ...device.tags, ...p.tags }]));
  }

  async read(time: number): Promise<DeviceReadout> {
    const target = this.device.modbus!;
    const results: Map<ModbusPoint, ModbusPointResult> = await readModbusPoints(this.#line, this.#points, {
      unitId: target.unitId,
      timeoutMs: target.timeoutMs,
      retries: target.retries,
      maxGap: target.maxGap,
      maxRegisters: target.maxRegisters,
    });
    const readings: Reading[] = [];
    const registers = new Map<Reading, RawRegisters>();
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
      if (result.registers) registers.set(reading, { point, registers: result.registers });
    }
    return { readings, registers };
  }

  close(): void {
    // The line is shared with other devices; its owner closes it.
  }
}
