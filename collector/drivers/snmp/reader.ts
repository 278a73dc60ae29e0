import type { DeviceSpec } from '../../../common/contracts/device.js';
import type { Reading } from '../../../common/contracts/reading.js';
import type { DeviceReader, DeviceReadout } from '../driver-runtime.js';
import { applyMeaning } from '../meaning.js';
import type { ColumnRow } from './client.js';
import type { SnmpValue } from './decode.js';
import type { SnmpColumnPoint, SnmpScalarPoint } from './types.js';

/**
 * The two requests an SNMP reader makes, so that a test can answer them from a recording.
 * SnmpClient is the real one.
 */
export interface SnmpQuery {
  /** GETs scalars; an OID without a value comes back as `ok: false`. */
  get(oids: readonly string[]): Promise<Map<string, SnmpValue>>;
  /** Walks one table column or entry; rows are keyed by the instance suffix after it. */
  walkColumn(column: string): Promise<ColumnRow[]>;
  close?(): void;
}

/** Reads a device's SNMP scalars and table columns once per poll into readings. */
export class SnmpReader implements DeviceReader {
  readonly #scalars: SnmpScalarPoint[];
  readonly #columns: SnmpColumnPoint[];
  /** One tags object per point and row, reused across polls (see sink/points.ts). */
  readonly #tags = new Map<string, Readonly<Record<string, string>>>();

  constructor(private readonly device: Pick<DeviceSpec, 'template' | 'tags'>, private readonly query: SnmpQuery) {
    this.#scalars = device.template.points.filter((p): p is SnmpScalarPoint => p.kind === 'snmp-scalar');
    this.#columns = device.template.points.filter((p): p is SnmpColumnPoint => p.kind === 'snmp-column');
  }

  async read(time: number): Promise<DeviceReadout> {
    const scalarValues = await this.query.get(this.#scalars.map((p) => p.oid));
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
    return { readings, details: new Map() };
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
          walked.set(wanted[0]!, await this.query.walkColumn(wanted[0]!));
          return;
        }
        const rows = await this.query.walkColumn(entry);
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
    this.query.close?.();
  }
}
