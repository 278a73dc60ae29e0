/** Faults a scenario or an operator can inject into the simulated room. */
export const FAULT_KINDS = [
  'mains_failure', // utility power lost: UPS on battery, CRACs and incomer meters without power
  'compressor_failure', // a CRAC stops cooling; supply air and then the room warm up
  'fan_failure', // a CRAC's fan stops (alarm bit; no airflow)
  'high_humidity', // room humidity climbs towards 80 %RH
  'water_leak', // a leak detector sees water
  'breaker_trip', // a switchgear feeder opens: its meter's currents drop to 0
  'overload', // a UPS or feeder carries far more load than rated
  'bypass', // a UPS transfers to bypass
  'silent', // a device stops answering
  'garbage', // a device answers bytes that are not its protocol
  'flapping', // a device alternates between answering and silence every 20 s (simulated time)
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ActiveFault {
  kind: FaultKind;
  /** A device id, room id, site id, or "*" for everything. */
  target: string;
  since: number;
  until?: number;
}

export interface Placement {
  id: string;
  room: string;
  site: string;
}

export class FaultSet {
  readonly #faults: ActiveFault[] = [];

  add(fault: ActiveFault): void {
    this.clear(fault.kind, fault.target);
    this.#faults.push(fault);
  }

  clear(kind: FaultKind, target: string): boolean {
    const index = this.#faults.findIndex((f) => f.kind === kind && f.target === target);
    if (index >= 0) this.#faults.splice(index, 1);
    return index >= 0;
  }

  /** The fault of this kind affecting the device at `now`, if any. */
  find(kind: FaultKind, where: Placement, now: number): ActiveFault | undefined {
    return this.#faults.find(
      (f) => f.kind === kind && f.since <= now && (f.until === undefined || now < f.until) && [where.id, where.room, where.site, '*'].includes(f.target),
    );
  }

  active(now: number): ActiveFault[] {
    return this.#faults.filter((f) => f.since <= now && (f.until === undefined || now < f.until));
  }
}
