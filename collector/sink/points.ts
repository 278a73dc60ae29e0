import type { Reading } from '../reading.js';
import type { StoredPoint } from './spool.js';

/**
 * Groups readings into InfluxDB points: readings of one measurement, tag set and time become the
 * fields of one point. Readings without a value are left out (InfluxDB has no null), and empty tag
 * values are dropped because line protocol rejects them.
 */
export function readingsToPoints(readings: readonly Reading[]): StoredPoint[] {
  const byKey = new Map<string, StoredPoint>();
  for (const reading of readings) {
    if (reading.value === null) continue;
    const tags: Record<string, string> = {};
    for (const key of Object.keys(reading.tags).sort()) {
      const value = reading.tags[key];
      if (value) tags[key] = value;
    }
    const key = `${reading.measurement}|${reading.time}|${JSON.stringify(tags)}`;
    let point = byKey.get(key);
    if (!point) {
      point = { m: reading.measurement, t: tags, f: {}, ts: reading.time };
      byKey.set(key, point);
    }
    point.f[reading.field] = reading.value;
  }
  return [...byKey.values()];
}
