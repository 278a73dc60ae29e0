import type { DeviceSpec } from '../common/contracts/device.js';
import type { DeviceLatest, LatestReading } from '../common/contracts/latest.js';
import { HEALTH_MEASUREMENT, type PollOutcome } from '../common/contracts/poll.js';

/**
 * A table walk (per-phase, per-sensor instances) gives several readings per template point; a
 * device gets room for this many per point, so a misbehaving agent inventing instances cannot
 * grow the daemon's memory without end. Readings beyond it are not kept (InfluxDB still has them).
 */
const READINGS_PER_POINT = 32;
/** Error texts come from devices and libraries: shown in full they would be the device's to size. */
const MAX_ERROR = 200;

interface Held {
  spec: DeviceSpec;
  units: ReadonlyMap<string, string>;
  capacity: number;
  latest?: Omit<DeviceLatest, 'readings' | 'status'> & { ok: boolean };
  readings: Map<string, LatestReading>;
}

/**
 * The latest poll result of every configured device, fed by the bus's `poll` events: what the API
 * and the console show as "now", answered from memory so they keep working while InfluxDB is down.
 * Pure bookkeeping (no timers, no I/O); a reload builds a new one from the new device list.
 */
export class LatestReadings {
  readonly #devices = new Map<string, Held>();

  constructor(devices: readonly DeviceSpec[]) {
    for (const spec of devices) {
      const units = new Map<string, string>();
      for (const point of spec.template.points) if (point.unit) units.set(`${point.measurement}.${point.field}`, point.unit);
      this.#devices.set(spec.id, { spec, units, capacity: Math.max(1, spec.template.points.length) * READINGS_PER_POINT, readings: new Map() });
    }
  }

  /** Takes one poll's outcome; a device the read model was not built with is ignored (a poll racing a reload). */
  record(outcome: PollOutcome): void {
    const held = this.#devices.get(outcome.device.id);
    if (!held) return;
    held.latest = {
      ok: outcome.ok,
      lastPollAt: outcome.time,
      lastOkAt: outcome.ok ? outcome.time : held.latest?.lastOkAt,
      lastError: outcome.ok ? undefined : (outcome.error ?? 'poll failed').slice(0, MAX_ERROR),
      pollDurationMs: Math.round(outcome.durationMs * 10) / 10,
    };
    for (const reading of outcome.readings) {
      // The device's health is its status above, not a reading of it.
      if (reading.measurement === HEALTH_MEASUREMENT) continue;
      const tags = pointTags(reading.tags, held.spec.tags);
      const key = `${reading.measurement}\u0000${reading.field}\u0000${Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',')}`;
      if (!held.readings.has(key) && held.readings.size >= held.capacity) continue;
      const unit = reading.unit ?? held.units.get(`${reading.measurement}.${reading.field}`);
      held.readings.set(key, {
        measurement: reading.measurement,
        field: reading.field,
        ...(Object.keys(tags).length ? { tags } : {}),
        value: reading.value,
        ...(unit ? { unit } : {}),
        at: reading.time,
      });
    }
  }

  /** undefined for an id the configuration does not have. */
  get(id: string): DeviceLatest | undefined {
    const held = this.#devices.get(id);
    if (!held) return undefined;
    const { latest } = held;
    const readings = [...held.readings.values()];
    if (!latest) return { status: 'unknown', readings };
    const { ok, ...times } = latest;
    return { status: ok ? 'up' : 'down', ...withoutUndefined(times), readings };
  }
}

/** Reading tags carry the device's identity and labels too; the API names the point by its own. */
function pointTags(tags: Readonly<Record<string, string>>, deviceTags: Readonly<Record<string, string>>): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) if (deviceTags[key] !== value) own[key] = value;
  return own;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
