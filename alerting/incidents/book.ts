import { createHash } from 'node:crypto';
import type { Alert, AlertEvent } from '../alerts.js';
import { SEVERITIES } from '../core/rule.js';
import type { Incident, IncidentList, IncidentMember, IncidentType } from './incident.js';
import { belongs, inScope, opens, scopeKey, scopeOf, type IncidentWindows, type Place } from './match.js';
import type { IncidentTypes } from './types.js';

/** What happened to an incident on one alert event or tick; each is journaled (the incident as it is now). */
export type IncidentChange =
  | { kind: 'opened'; incident: Incident }
  | { kind: 'joined'; incident: Incident; alert: Alert; reattributed: boolean }
  | { kind: 'settling'; incident: Incident }
  | { kind: 'resolved'; incident: Incident };

export interface IncidentBookDeps {
  types: IncidentTypes;
  windows: IncidentWindows;
  /** Where a device is (unknown devices: their own site and room, so they match nothing else). */
  place(device: string): Place;
}

/** Short stable id for people to type, like an alert's: a hash of what the incident is and when it began. */
export function incidentId(type: string, scope: Incident['scope'], openedAt: number): string {
  return createHash('sha256').update(`${type}|${scopeKey(scope)}|${openedAt}`).digest('hex').slice(0, 10);
}

/**
 * The incident lifecycle, driven by alert events: an opener opening finds or opens the incident
 * of its type in its scope, and claims every active alert that belongs to it, whichever opened
 * first; an explained alert opening joins an incident it belongs to. When the last opener
 * resolves the incident settles, and resolves `settle` later (tick). Members carry the incident's
 * id (`alert.incidentId`). Pure bookkeeping, as AlertBook: persistence is the engine's job.
 */
export class IncidentBook implements IncidentList {
  readonly #active = new Map<string, Incident>();
  readonly #recent: Incident[] = [];

  constructor(private readonly deps: IncidentBookDeps) {}

  /** Restores an incident from the journal (after a restart). */
  restore(incident: Incident): void {
    if (incident.status === 'resolved') {
      this.#active.delete(incident.id);
      this.#remember(incident);
    } else {
      this.#active.set(incident.id, incident);
    }
  }

  /** The incident of that id, active or recently resolved. */
  get(id: string): Incident | undefined {
    return this.#active.get(id) ?? this.#recent.find((i) => i.id === id);
  }

  /** `alerts`: the alerts active after the event (AlertBook.active()). */
  apply(event: AlertEvent, alerts: readonly Alert[], now: number): IncidentChange[] {
    const alert = event.alert;
    if (event.kind === 'opened') return alert.incidentId ? [] : this.#opening(alert, alerts, now);
    if (event.kind === 'resolved' && alert.incidentId) return this.#resolving(alert, alerts, now);
    return [];
  }

  /**
   * Settling incidents whose `settle` is over resolve now. An open one whose openers all went
   * without a resolved event (resolved silently while flapping, or removed by a reload) settles
   * now, so no incident outlives what opened it. `alerts`: the active alerts.
   */
  tick(now: number, settleMs: number, alerts: readonly Alert[]): IncidentChange[] {
    const changes: IncidentChange[] = [];
    const active = new Set(alerts.filter((a) => a.status !== 'resolved').map((a) => a.id));
    for (const incident of this.#active.values()) {
      if (incident.status !== 'settling' && !incident.members.some((m) => m.role === 'opener' && active.has(m.id))) {
        incident.status = 'settling';
        incident.settlingSince = now;
        changes.push({ kind: 'settling', incident });
      }
      if (incident.status !== 'settling' || now - incident.settlingSince! < settleMs) continue;
      incident.status = 'resolved';
      incident.resolvedAt = now;
      this.#active.delete(incident.id);
      this.#remember(incident);
      changes.push({ kind: 'resolved', incident });
    }
    return changes;
  }

  /**
   * Resolves at once an active incident none of whose openers is active any more (a reload removed
   * them): nothing is left to settle, and a removed device will send no recovery of its own.
   */
  resolveOrphan(id: string, alerts: readonly Alert[], now: number): IncidentChange | undefined {
    const incident = this.#active.get(id);
    if (!incident) return undefined;
    const active = new Set(alerts.filter((a) => a.status !== 'resolved').map((a) => a.id));
    if (incident.members.some((m) => m.role === 'opener' && active.has(m.id))) return undefined;
    incident.status = 'resolved';
    incident.resolvedAt = now;
    this.#active.delete(incident.id);
    this.#remember(incident);
    return { kind: 'resolved', incident };
  }

  /**
   * For alerts restored from a journal written before incidents were recorded: each unresolved
   * opener (oldest first) opens or joins its incident at its own start, as it would have, and
   * the incident takes over what its openers were told.
   */
  adopt(alerts: readonly Alert[], now: number): IncidentChange[] {
    const changes: IncidentChange[] = [];
    const openers = alerts.filter((a) => a.status !== 'resolved' && !a.incidentId && a.incident && this.deps.types.get(a.incident)).sort((a, b) => a.firingSince - b.firingSince);
    for (const opener of openers) {
      if (opener.incidentId) continue;
      const opening = this.#opening(opener, alerts, now, opener.firingSince);
      const incident = opening[0]!.incident;
      incident.told = [...new Set([...(incident.told ?? []), ...(opener.told ?? [])])];
      if (opener.lastSentAt !== undefined) incident.lastSentAt = Math.max(incident.lastSentAt ?? opener.lastSentAt, opener.lastSentAt);
      incident.tiers = [...new Set([...incident.tiers, ...opener.tiers])];
      changes.push(...opening);
    }
    return changes;
  }

  /** Records who took the incident on; the engine acknowledges its active alerts with it. */
  acknowledge(id: string, by: string, at: number, note?: string): Incident | { error: string } {
    const incident = this.#active.get(id);
    if (!incident) return { error: `no active incident with id ${id}` };
    if (incident.ack) return { error: `incident ${id} was already acknowledged by ${incident.ack.by}` };
    incident.ack = { by, at, note };
    if (incident.status === 'open') incident.status = 'acknowledged';
    if (note) incident.notes.push({ by, at, text: note });
    return incident;
  }

  active(): Incident[] {
    return [...this.#active.values()].sort((a, b) => a.openedAt - b.openedAt);
  }

  recent(): Incident[] {
    return [...this.#recent];
  }

  #opening(alert: Alert, alerts: readonly Alert[], now: number, openedAt = now): IncidentChange[] {
    const place = this.deps.place(alert.device);
    const type = alert.incident === undefined ? undefined : this.deps.types.get(alert.incident);
    if (!type) {
      if (alert.explainedBy === undefined) return [];
      const incident = [...this.#active.values()].find((i) => belongs(alert, place, i, this.deps.windows));
      return incident ? [this.#join(incident, alert, now)] : [];
    }
    const changes: IncidentChange[] = [];
    let incident = [...this.#active.values()].find((i) => i.type === type.name && inScope(i.scope, place));
    if (incident) {
      changes.push(this.#join(incident, alert, now));
    } else {
      incident = this.#open(type, alert, place, openedAt, now);
      changes.push({ kind: 'opened', incident });
    }
    // Whatever opened first: the alerts it explains that are already active join it now.
    for (const other of alerts) {
      if (other === alert || other.incidentId || other.status === 'resolved') continue;
      if (belongs(other, this.deps.place(other.device), incident, this.deps.windows)) changes.push(this.#join(incident, other, now));
    }
    return changes;
  }

  #open(type: IncidentType, opener: Alert, place: Place, openedAt: number, now: number): Incident {
    const scope = scopeOf(type, place);
    const incident: Incident = {
      id: incidentId(type.name, scope, openedAt),
      type: type.name,
      scope,
      severity: opener.severity,
      category: type.category,
      summary: { ...type.summary },
      advice: type.advice && { en: [...type.advice.en], 'zh-CN': [...type.advice['zh-CN']] },
      status: 'open',
      openedAt,
      members: [{ key: opener.key, id: opener.id, role: 'opener', joinedAt: now }],
      notes: [],
      tiers: [],
    };
    opener.incidentId = incident.id;
    this.#active.set(incident.id, incident);
    return incident;
  }

  #join(incident: Incident, alert: Alert, now: number): IncidentChange {
    const role = opens(alert, incident.type) ? 'opener' : 'member';
    const reattributed = (alert.told ?? []).length > 0;
    const member: IncidentMember = { key: alert.key, id: alert.id, role, joinedAt: now, ...(reattributed ? { reattributed } : {}) };
    // Openers first, then members, each in joining order.
    const at = role === 'opener' ? incident.members.findIndex((m) => m.role === 'member') : -1;
    if (at < 0) incident.members.push(member);
    else incident.members.splice(at, 0, member);
    alert.incidentId = incident.id;
    if (role === 'opener') {
      if (SEVERITIES.indexOf(alert.severity) < SEVERITIES.indexOf(incident.severity)) incident.severity = alert.severity;
      // Mains failed again while the room was settling: the same incident goes on.
      if (incident.status === 'settling') {
        incident.status = incident.ack ? 'acknowledged' : 'open';
        delete incident.settlingSince;
      }
    }
    return { kind: 'joined', incident, alert, reattributed };
  }

  #resolving(alert: Alert, alerts: readonly Alert[], now: number): IncidentChange[] {
    const incident = this.#active.get(alert.incidentId!);
    if (!incident || incident.status === 'settling' || !opens(alert, incident.type)) return [];
    const openers = new Set(incident.members.filter((m) => m.role === 'opener' && m.key !== alert.key).map((m) => m.key));
    if (alerts.some((a) => openers.has(a.key) && a.status !== 'resolved' && a.incidentId === incident.id)) return [];
    incident.status = 'settling';
    incident.settlingSince = now;
    return [{ kind: 'settling', incident }];
  }

  #remember(incident: Incident): void {
    this.#recent.unshift(incident);
    if (this.#recent.length > 500) this.#recent.pop();
  }
}
