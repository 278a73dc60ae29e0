import type { Fault, Severity } from './faults.js';

/** The per-severity time limits of reports.faults. */
export interface FaultLimits {
  resolveWithinMs: Record<Severity, number>;
  acknowledgeWithinMs: Record<Severity, number>;
}

/** Sums over some faults: what fault_stats stores, and what every figure is derived from. */
export interface Tally {
  faults: number;
  incidents: number;
  members: number;
  acknowledged: number;
  ack_seconds_total: number;
  acknowledged_within_limit: number;
  resolved: number;
  resolve_seconds_total: number;
  resolved_within_limit: number;
  unacknowledged: number;
}

/** A tally with its means and rates (null where nothing was there to divide). */
export interface Figures extends Tally {
  mtta_seconds: number | null;
  mttr_seconds: number | null;
  /** Resolved within reports.faults.resolve_within[severity], of all faults. */
  resolution_rate: number | null;
  /** Acknowledged within reports.faults.acknowledge_within[severity], of all faults. */
  acknowledged_within_rate: number | null;
}

export function emptyTally(): Tally {
  return { faults: 0, incidents: 0, members: 0, acknowledged: 0, ack_seconds_total: 0, acknowledged_within_limit: 0, resolved: 0, resolve_seconds_total: 0, resolved_within_limit: 0, unacknowledged: 0 };
}

// A severity the limits do not know (rows of a future version) has no limit: never "within".
const limitOf = (limits: Record<Severity, number>, severity: string) => limits[severity as Severity] ?? -1;

export function addFault(t: Tally, f: Fault, limits: FaultLimits): void {
  t.faults++;
  if (f.incident) {
    t.incidents++;
    t.members += f.members;
  }
  if (f.acknowledgedAt !== undefined) {
    const ms = f.acknowledgedAt - f.openedAt;
    t.acknowledged++;
    t.ack_seconds_total += ms / 1000;
    if (ms <= limitOf(limits.acknowledgeWithinMs, f.severity)) t.acknowledged_within_limit++;
  } else {
    t.unacknowledged++;
  }
  if (f.resolvedAt !== undefined) {
    const ms = f.resolvedAt - f.openedAt;
    t.resolved++;
    t.resolve_seconds_total += ms / 1000;
    if (ms <= limitOf(limits.resolveWithinMs, f.severity)) t.resolved_within_limit++;
  }
}

export function tallyOf(faults: readonly Fault[], limits: FaultLimits): Tally {
  const t = emptyTally();
  for (const f of faults) addFault(t, f, limits);
  return t;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

export function figuresOf(t: Tally): Figures {
  return {
    ...t,
    mtta_seconds: ratio(t.ack_seconds_total, t.acknowledged),
    mttr_seconds: ratio(t.resolve_seconds_total, t.resolved),
    resolution_rate: ratio(t.resolved_within_limit, t.faults),
    acknowledged_within_rate: ratio(t.acknowledged_within_limit, t.faults),
  };
}

/** Relative change from `before` to `now` (0.25 = +25 %); null when there was nothing before. */
export function change(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return (now - before) / before;
}
