import type { Alert } from '../../alerts.js';
import type { Severity } from '../../core/rule.js';
import { isIncidentEvent, type NotifyEvent } from '../../incidents/incident.js';
import type { AlertView, Notice, Route, Stage } from '../stage.js';

/** What routes match on: how grave, and where (an incident is where its first alert is). */
export interface RouteSubject {
  severity: Severity;
  device: string;
}

/** The routes an alert (or incident) matches; with no routes configured, one route to every receiver. */
export function routesFor(subject: RouteSubject, view: Pick<AlertView, 'routes' | 'receivers' | 'device'>): readonly Route[] {
  if (!view.routes.length) return [{ receivers: view.receivers }];
  const info = view.device(subject.device);
  return view.routes.filter((route) => {
    const m = route.match ?? {};
    return (!route.severities || route.severities.includes(subject.severity)) && (!m.site || m.site === info.site) && (!m.room || m.room === info.room) && (!m.device || m.device === subject.device) && (!m.device_type || m.device_type === info.deviceType);
  });
}

/** The subject an event is routed by. */
export function subjectOf(event: NotifyEvent): RouteSubject {
  if (!isIncidentEvent(event)) return event.alert;
  return { severity: event.incident.severity, device: event.alerts[0]?.device ?? event.incident.scope.device ?? '-' };
}

/** Who was told of the opening the event recovers from; `'*'`: whoever the routes say. */
function toldOf(event: NotifyEvent): readonly string[] {
  return (isIncidentEvent(event) ? event.incident.told : event.alert.told) ?? [];
}

/**
 * Who may hear of this notice among the routes' receivers. A recovery is news only to those told
 * of the opening: an alert muted, inhibited or silenced all its life, or one that resolved while its
 * opening still waited in group_wait, recovers in silence; an incident likewise. `'*'` (an alert
 * sent before the journal knew whom) leaves the routes to say.
 */
function audience(notice: Notice, receivers: readonly string[]): readonly string[] {
  if (notice.event.kind !== 'resolved' && notice.event.kind !== 'incident_resolved') return receivers;
  const told = toldOf(notice.event);
  return told.includes('*') ? receivers : receivers.filter((r) => told.includes(r));
}

/**
 * An alert resolved because its device or rule left the configuration: its routes matched a place
 * the configuration no longer names, so those told of it that are still receivers hear of it.
 */
function removedAudience(alert: Alert, receivers: readonly string[]): readonly string[] | undefined {
  if (alert.resolution?.reason !== 'removed' || alert.told?.includes('*')) return undefined;
  return receivers.filter((r) => alert.told?.includes(r));
}

/** One notice per receiver: tier 0 goes to the routes' receivers, tier 1 to their `escalate_to`. Each receiver once. */
export const route: Stage = (notices, ctx) =>
  notices.flatMap((notice) => {
    const removed = notice.event.kind === 'resolved' ? removedAudience(notice.event.alert, ctx.view.receivers) : undefined;
    if (removed) return removed.map((receiver) => ({ ...notice, receiver }));
    const receivers = routesFor(subjectOf(notice.event), ctx.view).flatMap((r) => (notice.tier === 0 ? r.receivers : (r.escalateTo ?? [])));
    return audience(notice, [...new Set(receivers)]).map((receiver) => ({ ...notice, receiver }));
  });
