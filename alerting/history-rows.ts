import type { AlertEventRecord } from '../common/contracts/alert-event.js';
import type { AlertEvent } from './alerts.js';
import { alertEventRecord, incidentEventRecord, type Fault } from './events-out.js';
import type { Incident } from './incidents/incident.js';
import type { DeviceInfo } from './notify/directory.js';
import { wallAt } from './pipeline/stage.js';

export interface HistoryRowsDeps {
  /** Where rows go (the sink, through the bus); absent: no history is kept. */
  write?: (record: AlertEventRecord) => void;
  device: (id: string) => DeviceInfo;
  /** Steady time and the wall clock, to date rows. */
  now: () => number;
  wall: () => number;
  /** How long an alert an incident would explain waits for it (incidents/hold.ts). */
  holdMs: (alert: AlertEvent['alert']) => number;
}

/**
 * The engine's rows in `alert_events`. An opening an incident would explain, with no incident yet,
 * is held until it is known whether it is a fault of its own: when it joins one (a member), or
 * when its hold is over (single), so one mains failure counts once whichever alert came first.
 */
export class HistoryRows {
  readonly #held = new Map<string, { event: AlertEvent; until: number }>();

  constructor(private readonly deps: HistoryRowsDeps) {}

  /** An alert event: its row now, or an opening held for its incident. */
  alertChanged(event: AlertEvent): void {
    const a = event.alert;
    if (event.kind === 'opened' && a.explainedBy !== undefined && a.incidentId === undefined) {
      const holdMs = this.deps.holdMs(a);
      if (holdMs > 0) {
        this.#held.set(a.key, { event, until: a.firingSince + holdMs });
        return;
      }
    }
    this.write(event);
  }

  /** The alert joined an incident: its held opening is written, as a member. */
  joined(alertKey: string): void {
    const held = this.#held.get(alertKey);
    if (!held) return;
    this.#held.delete(alertKey);
    this.write(held.event);
  }

  /** Held openings whose hold is over (or whose alert resolved) at `now`; Infinity writes them all (stopping). */
  due(now: number): void {
    for (const [key, held] of this.#held) {
      if (held.until > now && held.event.alert.status !== 'resolved') continue;
      this.#held.delete(key);
      this.write(held.event);
    }
  }

  /** One alert event's row, as it stands: a member of its incident, or a fault of its own. */
  write(event: AlertEvent): void {
    if (!this.deps.write) return;
    const fault: Fault = event.alert.incidentId === undefined ? { fault: 'single' } : { fault: 'member', incident: event.alert.incidentId };
    this.deps.write(alertEventRecord(event, this.deps.device(event.alert.device), this.#toWall(), fault));
  }

  /** An incident's own opened or resolved row, placed at `device` (its first alert's). */
  incident(incident: Incident, kind: 'opened' | 'resolved', device: string): void {
    if (!this.deps.write) return;
    this.deps.write(incidentEventRecord(incident, kind, device, this.deps.device(device), this.#toWall()));
  }

  #toWall(): (steady: number) => number {
    const at = { now: this.deps.now(), wall: this.deps.wall() };
    return (t) => wallAt(t, at);
  }
}
