import type { DeviceTemplate } from '../../../common/contracts/device.js';
import type { Reading } from '../../../common/contracts/reading.js';
import type { ColumnRow } from './client.js';
import { compareOids, decodeVarbind, isUnder, typeTagOf, type RawVarbind, type SnmpValue } from './decode.js';
import { SnmpReader, type SnmpQuery } from './reader.js';

/** One recorded varbind: `type` is the SMI type name ("Integer", "OctetString", "Gauge32", "Null", ...). */
export interface RecordedVarbind {
  oid: string;
  type: string;
  value?: string | number | boolean;
}

/**
 * An agent that answers from recorded varbinds the way the recorded devices do: a GET of an OID it
 * lacks answers noSuchInstance, a walk returns the rows under the column in OID order.
 */
export class RecordedAgent implements SnmpQuery {
  readonly #varbinds: RawVarbind[];

  constructor(recording: unknown) {
    if (!Array.isArray(recording)) throw new Error('an SNMP recording is a list of varbinds [{ oid, type, value }]');
    this.#varbinds = recording.map((entry, i) => toRawVarbind(entry, i)).sort((a, b) => compareOids(a.oid, b.oid));
  }

  get(oids: readonly string[]): Promise<Map<string, SnmpValue>> {
    const byOid = new Map(this.#varbinds.map((v) => [v.oid, v]));
    return Promise.resolve(new Map(oids.map((oid) => [oid, decodeVarbind(byOid.get(oid) ?? { oid, type: typeTagOf('noSuchInstance') })])));
  }

  walkColumn(column: string): Promise<ColumnRow[]> {
    const under = this.#varbinds.filter((v) => isUnder(column, v.oid));
    // Like SnmpClient's walk: an exception (endOfMibView, ...) ends the column.
    const end = under.findIndex((v) => (v.type ?? 0) >= 128);
    const rows = (end < 0 ? under : under.slice(0, end)).map((v) => ({ index: v.oid.slice(column.length + 1), value: decodeVarbind(v) }));
    return Promise.resolve(rows);
  }
}

function toRawVarbind(entry: unknown, i: number): RawVarbind {
  const { oid, type, value } = (entry ?? {}) as Partial<RecordedVarbind>;
  if (typeof oid !== 'string' || !/^\d+(\.\d+)+$/.test(oid)) throw new Error(`varbind ${i}: "oid" must be a dotted OID, got ${JSON.stringify(oid)}`);
  const tag = typeof type === 'string' ? typeTagOf(type) : undefined;
  if (tag === undefined) throw new Error(`varbind ${i} (${oid}): unknown SNMP type ${JSON.stringify(type)}`);
  // net-snmp hands octet strings over as buffers; decodeVarbind strips their trailing NULs.
  return { oid, type: tag, value: type === 'OctetString' ? Buffer.from(String(value ?? ''), 'utf8') : value };
}

/** SnmpRuntime.replay: the template's points read once from recorded varbinds. */
export async function replaySnmp(template: DeviceTemplate, recording: unknown, time: number): Promise<Reading[]> {
  const { readings } = await new SnmpReader({ template, tags: {} }, new RecordedAgent(recording)).read(time);
  return readings;
}
