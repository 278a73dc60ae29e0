import { createHash } from 'node:crypto';
import type { Transition } from './core/evaluate.js';
import { describeThreshold, type Severity } from './core/rule.js';
import type { AlertPlace } from './notify/directory.js';
import type { FaultCategory } from '../common/contracts/template-rule.js';

export type AlertStatus = 'firing' | 'acknowledged' | 'resolved';

/** An alert as engineers see it: one per series while it fires, kept in history after. */
export interface Alert {
  id: string;
  key: string;
  rule: string;
  severity: Severity;
  summary: { en: string; 'zh-CN': string };
  source: string;
  device: string;
  labels: Record<string, string>;
  status: AlertStatus;
  flapping: boolean;
  /**
   * What the latest evaluation says, apart from `status`: a flapping or latched alert stays active
   * while its condition has `cleared` (absent on alerts journaled before this field).
   */
  condition?: 'holds' | 'cleared';
  value?: number | string;
  threshold: string;
  measurement: string;
  field: string;
  firingSince: number;
  resolvedAt?: number;
  ack?: { by: string; at: number; note?: string };
  notes: Array<{ by: string; at: number; text: string }>;
  incident?: string;
  explainedBy?: string;
  /** Why its notifications are held back (silence, maintenance window), while that lasts. */
  muted?: string;
  /** Escalation tiers already notified (0 = first receivers). */
  tiers: number[];
  lastSentAt?: number;
  /**
   * Set while a latched rule's condition has cleared but nobody acknowledged the alert: it stays
   * active ("condition cleared, latched until acknowledged") and acknowledging it resolves it.
   */
  latchedAt?: number;
  /**
   * Receivers an opening of it was queued for: only they hear of its recovery. `'*'` (never a
   * receiver id) is what replay gives an alert a journal older than this field says was sent:
   * whatever its routes say.
   */
  told?: string[];
  /** Why it resolved, once it has (absent on alerts resolved before roomwatch recorded why). */
  resolution?: Resolution;
  /** The incident it is part of (as opener or member), while it is (incidents/incident.ts). */
  incidentId?: string;
  /** Its rule's fault category (absent on alerts journaled before rules had one). */
  category?: FaultCategory;
  /** What to do, from its rule (a copy: the journal and the API keep what the alert said). */
  advice?: { en: string[]; 'zh-CN': string[] };
  /** Its device's names and place when it opened (a reload may remove the device while it is active). */
  place?: AlertPlace;
  /** The latest readings of the points its rule names as context, as they were when last refreshed. */
  context?: ContextReading[];
}

/** One reading shown beside an alert (battery charge while on battery, the leak's position). */
export interface ContextReading {
  measurement: string;
  field: string;
  tags?: Readonly<Record<string, string>>;
  /** null: the device sent no usable value. */
  value: number | string | null;
  unit?: string;
  /** The reading's own time: the start of the poll that read it, on the wall clock (as stored in InfluxDB). */
  at: number;
}

/**
 * What ended an alert: its condition cleared on evaluation, a trap said so, someone acknowledged a
 * latched alert, or a reload removed its device or rule.
 */
export interface Resolution {
  reason: 'cleared' | 'acknowledged' | 'removed' | 'trap';
  text?: string;
}

/** A change in an alert that may be worth telling someone about. */
export interface AlertEvent {
  kind: 'opened' | 'resolved' | 'flapping' | 'acknowledged';
  alert: Alert;
  at: number;
}

/** Short stable id for people to type (ack 3f9c2a1b): a hash of the alert's identity and start. */
export function alertId(key: string, firingSince: number): string {
  return createHash('sha256').update(`${key}|${firingSince}`).digest('hex').slice(0, 10);
}

/** The alerts to read (the API, the console): changes go through the engine. */
export interface AlertList {
  /** Firing or acknowledged, oldest first. */
  active(): Alert[];
  /** Resolved lately, newest first (the last 500). */
  recent(): Alert[];
  /** One alert by id, active or among the recent ones. */
  find(id: string): Alert | undefined;
}

/**
 * The alert lifecycle: firing → acknowledged (who, when, note) → resolved, driven by the core's
 * transitions and by people. Pure bookkeeping; persistence is the engine's job.
 */
export class AlertBook implements AlertList {
  readonly #active = new Map<string, Alert>();
  readonly #recent: Alert[] = [];

  /** Restores an alert from the journal (after a restart). */
  restore(alert: Alert): void {
    if (alert.status === 'resolved') {
      this.#active.delete(alert.key);
      this.#remember(alert);
    } else {
      this.#active.set(alert.key, alert);
    }
  }

  apply(transition: Transition): AlertEvent | undefined {
    const existing = this.#active.get(transition.key);
    switch (transition.kind) {
      case 'firing': {
        if (existing) {
          // Already known (restart, a suppressed flapping change, or a latched one wet again): not a new alert.
          existing.value = transition.value;
          existing.condition = 'holds';
          delete existing.latchedAt;
          return undefined;
        }
        const rule = transition.rule;
        const alert: Alert = {
          id: alertId(transition.key, transition.at),
          key: transition.key,
          rule: rule.name,
          severity: rule.severity,
          summary: rule.summary,
          source: rule.source,
          device: transition.device,
          labels: transition.labels,
          status: 'firing',
          flapping: false,
          condition: 'holds',
          value: transition.value,
          threshold: describeThreshold(rule),
          measurement: rule.measurement,
          field: rule.field,
          firingSince: transition.at,
          incident: rule.incident,
          explainedBy: rule.explainedBy,
          category: rule.category,
          advice: rule.advice && { en: [...rule.advice.en], 'zh-CN': [...rule.advice['zh-CN']] },
          notes: [],
          tiers: [],
          told: [],
        };
        this.#active.set(alert.key, alert);
        return transition.suppressed ? undefined : { kind: 'opened', alert, at: transition.at };
      }
      case 'resolved': {
        if (!existing) return undefined;
        existing.value = transition.value;
        existing.condition = 'cleared';
        // Flapping: the alert stays, saying it is clear now; the calm that ends the flapping resolves it.
        if (transition.suppressed) return undefined;
        // Nobody has seen it yet: a leak that dried up by itself still needs someone to look.
        if (transition.rule.latch && !existing.ack) {
          existing.latchedAt ??= transition.at;
          return undefined;
        }
        return this.#resolve(existing, transition.at, transition.clearedByTrap === undefined ? { reason: 'cleared' } : { reason: 'trap', text: transition.clearedByTrap });
      }
      case 'updated':
        if (existing) existing.value = transition.value;
        return undefined;
      case 'flapping_started': {
        if (!existing) return undefined;
        existing.flapping = true;
        return { kind: 'flapping', alert: existing, at: transition.at };
      }
      case 'flapping_ended':
        if (existing) existing.flapping = false;
        return undefined;
      case 'pending':
        return undefined;
    }
  }

  /**
   * Records who took the alert on. A latched alert whose condition has cleared is resolved by it:
   * then `resolved` is that resolution, to be told as any other.
   */
  acknowledge(id: string, by: string, at: number, note?: string): { acknowledged: AlertEvent; resolved?: AlertEvent } | { error: string } {
    const alert = [...this.#active.values()].find((a) => a.id === id);
    if (!alert) return { error: `no active alert with id ${id}` };
    if (alert.ack) return { error: `alert ${id} was already acknowledged by ${alert.ack.by}` };
    alert.ack = { by, at, note };
    alert.status = 'acknowledged';
    if (note) alert.notes.push({ by, at, text: note });
    const acknowledged: AlertEvent = { kind: 'acknowledged', alert, at };
    if (alert.latchedAt === undefined) return { acknowledged };
    delete alert.latchedAt;
    return { acknowledged, resolved: this.#resolve(alert, at, { reason: 'acknowledged' }) };
  }

  /** Resolves an active alert for a reason no evaluation gives (its device or rule left the configuration). */
  resolveNow(key: string, at: number, resolution: Resolution): AlertEvent | undefined {
    const alert = this.#active.get(key);
    if (!alert) return undefined;
    delete alert.latchedAt;
    return this.#resolve(alert, at, resolution);
  }

  active(): Alert[] {
    return [...this.#active.values()].sort((a, b) => a.firingSince - b.firingSince);
  }

  recent(): Alert[] {
    return [...this.#recent];
  }

  find(id: string): Alert | undefined {
    for (const alert of this.#active.values()) if (alert.id === id) return alert;
    return this.#recent.find((a) => a.id === id);
  }

  #resolve(alert: Alert, at: number, resolution: Resolution): AlertEvent {
    alert.status = 'resolved';
    alert.resolvedAt = at;
    alert.resolution = resolution;
    this.#active.delete(alert.key);
    this.#remember(alert);
    return { kind: 'resolved', alert, at };
  }

  #remember(alert: Alert): void {
    this.#recent.unshift(alert);
    if (this.#recent.length > 500) this.#recent.pop();
  }
}
