import type { Alert } from '../../alerts.js';
import { isIncidentEvent, type Incident, type IncidentEvent } from '../../incidents/incident.js';
import type { IncidentView, Notice, Stage } from '../stage.js';

/**
 * The alerts an incident's message lists, as they are now. An opening lists the members still
 * active (one that cleared before any message named it is not news). A recovery lists those a
 * message named (recovered or still firing) and those that joined after the last opening message
 * went out (joined later); never one nobody heard of that also cleared before a message.
 */
export function incidentAlerts(kind: IncidentEvent['kind'], incident: Incident, incidents: IncidentView): Alert[] {
  const alerts = incidents.alertsOf(incident);
  if (kind === 'incident_opened') return alerts.filter((a) => a.status !== 'resolved');
  const byId = new Map(alerts.map((a) => [a.id, a]));
  const sentAt = incident.lastSentAt;
  return incident.members.filter((m) => m.listed || (sentAt !== undefined && m.joinedAt > sentAt)).flatMap((m) => byId.get(m.id) ?? []);
}

/** An incident's event with its alerts as they are now (the outbox lists them again when it renders). */
export function incidentEvent(kind: IncidentEvent['kind'], incident: Incident, incidents: IncidentView, at: number): IncidentEvent {
  return { kind, incident, alerts: incidentAlerts(kind, incident, incidents), at };
}

/**
 * Alerts in an incident are told as the incident: an opening becomes the incident's opening
 * notice (one message however many alerts); once the incident's message went out, a member's
 * opening is no news of its own (the recovery lists it as joined later); a member's recovery is
 * never told alone (the incident's recovery reports it). After the incident resolved, an alert
 * still active is told again on its own escalation and repeats, and still recovers silently.
 *
 * An alert an incident would explain, with no incident yet, waits `hold` (notBefore) for one:
 * if its incident opens meanwhile it joins (the gatherer's claim) instead of going out alone.
 */
export const fold: Stage = (notices, ctx) => {
  const incidents = ctx.view.incidents;
  if (!incidents) return notices;
  return notices.flatMap((notice): Notice[] => {
    const { event } = notice;
    // An incident's own notice (a tick's, or one restored from the journal) lists its alerts as they are now.
    if (isIncidentEvent(event)) return [{ ...notice, event: incidentEvent(event.kind, event.incident, incidents, event.at) }];
    const alert = event.alert;
    const incident = alert.incidentId === undefined ? undefined : incidents.get(alert.incidentId);
    if (!incident) {
      const holdMs = event.kind === 'opened' && notice.tier === 0 && alert.explainedBy !== undefined ? incidents.holdMs(alert) : 0;
      return [holdMs > 0 ? { ...notice, notBefore: alert.firingSince + holdMs } : notice];
    }
    if (incident.status === 'resolved') return event.kind === 'resolved' ? [] : [notice];
    if (event.kind !== 'opened' || (incident.told ?? []).length) return [];
    return [{ event: incidentEvent('incident_opened', incident, incidents, event.at), tier: notice.tier }];
  });
};
