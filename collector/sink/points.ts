import type { AlertEventRecord } from '../../common/contracts/alert-event.js';
import type { Reading } from '../../common/contracts/reading.js';
import { addNameTags, type DisplayNames } from './names.js';
import type { StoredPoint } from './spool.js';

interface TagSet {
  key: string;
  clean: Record<string, string>;
}

/**
 * Groups readings into InfluxDB points: readings of one measurement, tag set and time become the
 * fields of one point. Readings without a value are left out (InfluxDB has no null), and empty tag
 * values are dropped because line protocol rejects them. With display names, every point also
 * gets the names of the site, room and device its tags name (names.ts): only stored points carry
 * them, so alerting, which derives alert ids and labels from reading tags, never sees them.
 */
export class PointBuilder {
  // Readers reuse one tags object per point and row, so the sorted, cleaned and named form is
  // computed once per object rather than once per reading (this was the sink's hottest function).
  // One cache per builder: a reload builds a new one with the new names.
  readonly #tagSets = new WeakMap<object, TagSet>();

  constructor(private readonly names?: DisplayNames) {}

  toPoints(readings: readonly Reading[]): StoredPoint[] {
    // Keyed by tag set identity first: hashing a short "measurement|time" string is cheap, hashing
    // the whole tag set per reading is not.
    const byTags = new Map<string, Map<string, StoredPoint>>();
    const points: StoredPoint[] = [];
    for (const reading of readings) {
      if (reading.value === null) continue;
      const tags = this.#tagSet(reading.tags);
      let inSet = byTags.get(tags.key);
      if (!inSet) {
        inSet = new Map();
        byTags.set(tags.key, inSet);
      }
      const key = `${reading.measurement}|${reading.time}`;
      let point = inSet.get(key);
      if (!point) {
        point = { m: reading.measurement, t: tags.clean, f: {}, ts: reading.time };
        inSet.set(key, point);
        points.push(point);
      }
      point.f[reading.field] = reading.value;
    }
    return points;
  }

  #tagSet(tags: Readonly<Record<string, string>>): TagSet {
    let set = this.#tagSets.get(tags);
    if (!set) {
      const named: Record<string, string> = { ...tags };
      if (this.names) addNameTags(named, this.names);
      const clean: Record<string, string> = {};
      for (const key of Object.keys(named).sort()) {
        const value = named[key];
        if (value) clean[key] = value;
      }
      set = { key: JSON.stringify(clean), clean };
      this.#tagSets.set(tags, set);
    }
    return set;
  }
}

const unnamed = new PointBuilder();

/** Readings as points without display names (PointBuilder). */
export function readingsToPoints(readings: readonly Reading[]): StoredPoint[] {
  return unnamed.toPoints(readings);
}

/**
 * An alert event as a point of retention policy `rp`, its time in nanoseconds: the millisecond
 * and the record's sub-millisecond part. Empty tag values are dropped as for readings.
 */
export function eventToPoint(measurement: string, rp: string, record: AlertEventRecord): StoredPoint {
  const tags: Record<string, string> = {};
  for (const key of Object.keys(record.tags).sort()) if (record.tags[key]) tags[key] = record.tags[key]!;
  const ns = (BigInt(record.time) * 1_000_000n + BigInt(record.subMs)).toString();
  return { m: measurement, t: tags, f: { ...record.fields }, ts: record.time, rp, ns };
}
