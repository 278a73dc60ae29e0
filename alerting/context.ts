import type { Alert, ContextReading } from './alerts.js';
import type { AlertRule } from './core/rule.js';
import type { ContextPoint } from '../common/contracts/template-rule.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { Reading } from '../common/contracts/reading.js';

/** The points some rule of a device names as context: fields by measurement (two lookups per reading, no key to build). */
export type ContextPointSet = ReadonlyMap<string, ReadonlySet<string>>;

/** A device's latest readings of its context points, by point (`measurement` NUL `field`). */
export type ContextSnapshot = ReadonlyMap<string, readonly Reading[]>;

/** What the context cache needs of the rule book (DeviceRuleBook has it). */
export interface ContextRules {
  /** The points the device's rules name as context; undefined when none does. */
  contextPoints(device: string): ContextPointSet | undefined;
  allFor(device: string): readonly AlertRule[];
  /** Tags every reading of the device carries: not part of what a context reading shows. */
  deviceTags(device: string): ReadonlySet<string>;
}

/** The points named by these rules' `context`, or undefined when none names any (the device's polls then cost nothing here). */
export function contextPointSet(rules: readonly AlertRule[]): ContextPointSet | undefined {
  const set = new Map<string, Set<string>>();
  for (const rule of rules) {
    for (const point of rule.context ?? []) {
      const fields = set.get(point.measurement) ?? new Set<string>();
      fields.add(point.field);
      set.set(point.measurement, fields);
    }
  }
  return set.size ? set : undefined;
}

const pointKey = (measurement: string, field: string): string => `${measurement}\u0000${field}`;

/**
 * The snapshot after one poll. A poll that answered replaces the device's snapshot: a point it
 * did not carry has no current value (a table whose rows are gone, the comms error once the device
 * answers again). A poll that failed carries little beyond the device's health; the values it
 * does carry replace those points, and the rest stay as last read.
 */
export function nextSnapshot(previous: ContextSnapshot | undefined, outcome: Pick<PollOutcome, 'ok' | 'readings'>, named: ContextPointSet): ContextSnapshot {
  const next = new Map<string, Reading[]>();
  for (const reading of outcome.readings) {
    if (!named.get(reading.measurement)?.has(reading.field)) continue;
    const key = pointKey(reading.measurement, reading.field);
    const series = next.get(key);
    if (series) series.push(reading);
    else next.set(key, [reading]);
  }
  if (!outcome.ok && previous) for (const [key, series] of previous) if (!next.has(key)) next.set(key, series as Reading[]);
  return next;
}

/**
 * The readings a message shows for these context points, in the points' order and, within a
 * point, in the order the device reported its series. Tags are the series' own (sensor, phase,
 * condition_id), not the device's; units come from the device's template (the Directory).
 */
export function contextReadings(points: readonly ContextPoint[], snapshot: ContextSnapshot, deviceTags: ReadonlySet<string>, units: Readonly<Record<string, string>>): ContextReading[] {
  const out: ContextReading[] = [];
  for (const point of points) {
    for (const reading of snapshot.get(pointKey(point.measurement, point.field)) ?? []) {
      if (point.tags && !carries(reading.tags, point.tags)) continue;
      const tags = ownTags(reading.tags, deviceTags);
      const unit = units[`${point.measurement}.${point.field}`] ?? reading.unit;
      out.push({ measurement: point.measurement, field: point.field, ...(tags && { tags }), value: reading.value, ...(unit !== undefined && { unit }), at: reading.time });
    }
  }
  return out;
}

function carries(tags: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  for (const k in wanted) if (tags[k] !== wanted[k]) return false;
  return true;
}

function ownTags(tags: Readonly<Record<string, string>>, deviceTags: ReadonlySet<string>): Record<string, string> | undefined {
  let own: Record<string, string> | undefined;
  for (const k in tags) {
    if (deviceTags.has(k)) continue;
    (own ??= {})[k] = tags[k]!;
  }
  return own;
}

/**
 * The latest value of every point some rule's `context` names, per device, so that an alert can
 * say what else its device read (battery charge and runtime while on battery, which Liebert
 * condition is active, the comms error text). It sits on the poll path: a device whose rules name
 * no context costs one map lookup a poll, and each reading two set lookups.
 */
export class ContextReadings {
  readonly #latest = new Map<string, ContextSnapshot>();

  constructor(private readonly rules: ContextRules, private readonly units: (device: string) => Readonly<Record<string, string>>) {}

  /** Keeps what this poll read of the device's context points. */
  observe(outcome: Pick<PollOutcome, 'device' | 'ok' | 'readings'>): void {
    const device = outcome.device.id;
    const named = this.rules.contextPoints(device);
    if (!named) return;
    this.#latest.set(device, nextSnapshot(this.#latest.get(device), outcome, named));
  }

  /**
   * Sets `alert.context` to its rule's context points as last read: at opening, and again when
   * its notice is rendered. An alert whose device has not been read since a restart keeps what
   * it had (from the journal); an alert whose rule names no context is left alone.
   * A property, not a method, so that it can be handed over as a plain function.
   */
  readonly refresh = (alert: Alert): void => {
    const points = this.rules.allFor(alert.device).find((r) => r.name === alert.rule)?.context;
    const snapshot = this.#latest.get(alert.device);
    if (!points?.length || !snapshot) return;
    alert.context = contextReadings(points, snapshot, this.rules.deviceTags(alert.device), this.units(alert.device));
  };
}
