import type { Alert } from '../alerts.js';
import type { Incident, IncidentType } from './incident.js';

/** How far in time an incident reaches back and forward (alerting.incidents.window_before/after). */
export interface IncidentWindows {
  beforeMs: number;
  /** undefined: open — explained alerts join for as long as the incident is not resolved. */
  afterMs?: number;
}

/** Where a device is: what incident scopes compare. */
export interface Place {
  site: string;
  room: string;
  device: string;
}

/** The scope an incident of `type` opened by an alert at `place` covers. */
export function scopeOf(type: IncidentType, place: Place): Incident['scope'] {
  if (type.scope === 'site') return { level: 'site', site: place.site };
  if (type.scope === 'room') return { level: 'room', site: place.site, room: place.room };
  return { level: 'device', site: place.site, room: place.room, device: place.device };
}

/** A scope as one string (part of the incident id). */
export function scopeKey(scope: Incident['scope']): string {
  return scope.level === 'site' ? scope.site : scope.level === 'room' ? `${scope.site}/${scope.room}` : `${scope.site}/${scope.room}/${scope.device}`;
}

export function inScope(scope: Incident['scope'], place: Place): boolean {
  if (scope.site !== place.site) return false;
  if (scope.level === 'site') return true;
  if (scope.room !== place.room) return false;
  return scope.level === 'room' || scope.device === place.device;
}

/** The alert opens incidents of this type (its rule says `incident:`). */
export function opens(alert: Pick<Alert, 'incident'>, type: string): boolean {
  return alert.incident === type;
}

/**
 * Whether `alert` belongs to `incident`, stated once: its device is in the incident's scope, and
 * it opens incidents of that type (any time until the incident resolves), or the type explains it
 * and it opened no earlier than
 * `window_before` before the incident and, with a bounded `window_after`, no later than that after
 * (open: any time until the incident resolves). Order does not matter: a CRAC alarm 9 s before the
 * UPS goes on battery belongs as much as one 9 s after.
 */
export function belongs(alert: Pick<Alert, 'incident' | 'explainedBy' | 'firingSince'>, place: Place, incident: Incident, windows: IncidentWindows): boolean {
  if (incident.status === 'resolved' || !inScope(incident.scope, place)) return false;
  // A second UPS on battery in the room is the same mains failure, however late it comes.
  if (opens(alert, incident.type)) return true;
  if (alert.explainedBy !== incident.type) return false;
  if (alert.firingSince < incident.openedAt - windows.beforeMs) return false;
  return windows.afterMs === undefined || alert.firingSince <= incident.openedAt + windows.afterMs;
}
