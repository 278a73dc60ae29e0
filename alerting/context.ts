import type { Alert, ContextReading } from './alerts.js';
import type { AlertRule } from './core/rule.js';
import type { ContextPoint } from '../common/contracts/template-rule.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { Reading } from '../common/contracts/reading.js';

/**
 * The points some rule of a device names as context, each with a slot number: fields by
 * measurement, so a reading costs two lookups and no key to build.
 */
export interface ContextPointSet {
  readonly slots: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly size: number;
}

/**
 * A device's latest readings of its context points: per slot, the first `counts[slot]` entries
 * of `series[slot]`. Updated in place by `recordPoll`, which overwrites entries rather than
 * emptying lists (an array set to length 0 drops its storage, and the next push allocates it
 * again): the poll path allocates nothing once the lists have grown to the device's size.
 */
export interface ContextSnapshot {
  readonly series: Reading[][];
  readonly counts: number[];
  /** The poll that last wrote each slot. */
  readonly writtenBy: number[];
  polls: number;
}

/** What the context cache needs of the rule book (DeviceRuleBook has it). */
export interface ContextRules {
  /** The points the device's rules name as context; undefined when none does. */
  contextPoints(device: string): ContextPointSet | undefined;
  allFor(device: string): readonly AlertRule[];
  /** Tags every reading of the device carries: not part of what a context reading shows. */
  deviceTags(device: string): ReadonlySet<string>;
}

/**
 * The points named by these rules' `context`, or undefined when none names any (the device's
 * polls then cost nothing here). Given `shared`, devices naming the same points get the same
 * set: a thousand UPSs of one template then look their readings up in one set that stays in the
 * CPU cache, instead of a thousand that do not.
 */
export function contextPointSet(rules: readonly AlertRule[], shared?: Map<string, ContextPointSet>): ContextPointSet | undefined {
  const slots = new Map<string, Map<string, number>>();
  let size = 0;
  for (const rule of rules) {
    for (const point of rule.context ?? []) {
      const fields = slots.get(point.measurement) ?? new Map<string, number>();
      if (!fields.has(point.field)) fields.set(point.field, size++);
      slots.set(point.measurement, fields);
    }
  }
  if (!size) return undefined;
  const set = { slots, size };
  if (!shared) return set;
  const signature = JSON.stringify([...slots].map(([measurement, fields]) => [measurement, [...fields]]));
  const known = shared.get(signature);
  if (known) return known;
  shared.set(signature, set);
  return set;
}

export function emptySnapshot(named: ContextPointSet): ContextSnapshot {
  return { series: Array.from({ length: named.size }, () => []), counts: new Array<number>(named.size).fill(0), writtenBy: new Array<number>(named.size).fill(0), polls: 0 };
}

/**
 * Records one poll. A poll that answered replaces every point: one it did not carry has no
 * current value (a table whose rows are gone, the comms error once the device answers again). A
 * poll that failed carries little beyond the device's health; the points it does carry are
 * replaced, and the rest stay as last read.
 */
export function recordPoll(snapshot: ContextSnapshot, outcome: Pick<PollOutcome, 'ok' | 'readings'>, named: ContextPointSet): void {
  const poll = ++snapshot.polls;
  for (const reading of outcome.readings) {
    const slot = named.slots.get(reading.measurement)?.get(reading.field);
    if (slot === undefined) continue;
    if (snapshot.writtenBy[slot] !== poll) {
      snapshot.writtenBy[slot] = poll;
      snapshot.counts[slot] = 0;
    }
    snapshot.series[slot]![snapshot.counts[slot]!++] = reading;
  }
  if (!outcome.ok) return;
  for (let slot = 0; slot < named.size; slot++) if (snapshot.writtenBy[slot] !== poll) snapshot.counts[slot] = 0;
}

/** The readings a snapshot holds for one slot. */
export function heldIn(snapshot: ContextSnapshot, slot: number): readonly Reading[] {
  return snapshot.series[slot]!.slice(0, snapshot.counts[slot]);
}

/**
 * The readings a message shows for these context points, in the points' order and, within a
 * point, in the order the device reported its series. Tags are the series' own (sensor, phase,
 * condition_id), not the device's; units come from the device's template (the Directory).
 */
export function contextReadings(points: readonly ContextPoint[], snapshot: ContextSnapshot, named: ContextPointSet, deviceTags: ReadonlySet<string>, units: Readonly<Record<string, string>>): ContextReading[] {
  const out: ContextReading[] = [];
  for (const point of points) {
    const slot = named.slots.get(point.measurement)?.get(point.field);
    for (const reading of slot === undefined ? [] : heldIn(snapshot, slot)) {
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
 * no context costs one map lookup a poll, and each reading two map lookups.
 */
export class ContextReadings {
  readonly #latest = new Map<string, ContextSnapshot>();

  constructor(private readonly rules: ContextRules, private readonly units: (device: string) => Readonly<Record<string, string>>) {}

  /** Keeps what this poll read of the device's context points. */
  observe(outcome: Pick<PollOutcome, 'device' | 'ok' | 'readings'>): void {
    const device = outcome.device.id;
    const named = this.rules.contextPoints(device);
    if (!named) return;
    let snapshot = this.#latest.get(device);
    if (!snapshot) this.#latest.set(device, (snapshot = emptySnapshot(named)));
    recordPoll(snapshot, outcome, named);
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
    const named = this.rules.contextPoints(alert.device);
    if (!points?.length || !snapshot || !named) return;
    alert.context = contextReadings(points, snapshot, named, this.rules.deviceTags(alert.device), this.units(alert.device));
  };
}
