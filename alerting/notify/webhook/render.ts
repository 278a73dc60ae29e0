import type { AlertEvent } from '../../alerts.js';
import { isIncidentEvent, type IncidentEvent, type NotifyEvent } from '../../incidents/incident.js';
import { describeEvent, linkBase, linkTo, plainText, type EventText, type RenderContext } from '../render-common.js';

/**
 * An incident as Alertmanager receivers know groups: each of its alerts one entry, labelled with
 * the incident id; an alert still firing at the incident's recovery stays "firing".
 */
function alertEvents(event: NotifyEvent): Array<{ event: AlertEvent; incident?: string }> {
  if (!isIncidentEvent(event)) return [{ event }];
  return event.alerts.map((alert) => ({ event: { kind: alert.status === 'resolved' ? 'resolved' : 'opened', alert, at: event.at }, incident: event.incident.id }));
}

/** The lines of a text without its title, as Alertmanager descriptions read. */
function description(text: EventText): string {
  return plainText(text, '').split('\n').slice(1).join('\n');
}

/** Alertmanager's webhook payload (version 4), so existing receivers work unchanged; an incident leads as the group. */
export function renderAlertmanager(events: readonly NotifyEvent[], context: RenderContext, receiver: string, groupKey: string): unknown {
  const entries = events.flatMap(alertEvents);
  const alerts = entries.map(({ event: e, incident }) => {
    const a = e.alert;
    const info = context.directory.get(a.device);
    return {
      status: a.status === 'resolved' ? 'resolved' : 'firing',
      labels: { alertname: a.rule, severity: a.severity, site: info.site, room: info.room, device: a.device, device_type: info.deviceType, ...a.labels, ...(incident ? { incident } : {}) },
      annotations: { summary: a.summary[context.language], description: description(describeEvent(e, context)), event: e.kind },
      startsAt: new Date(context.toWall?.(a.firingSince) ?? a.firingSince).toISOString(),
      endsAt: a.resolvedAt ? new Date(context.toWall?.(a.resolvedAt) ?? a.resolvedAt).toISOString() : '0001-01-01T00:00:00Z',
      generatorURL: linkTo('alerts', a.id, context) ?? '',
      fingerprint: a.id,
    };
  });
  const first = context.directory.get(entries[0]?.event.alert.device ?? '-');
  const incident = events.find(isIncidentEvent);
  const place = { site: first.site, room: first.room };
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status: incident ? (incident.kind === 'incident_resolved' ? 'resolved' : 'firing') : alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver,
    groupLabels: incident ? { ...place, incident: incident.incident.id } : place,
    commonLabels: place,
    commonAnnotations: incident ? incidentAnnotations(incident, context) : {},
    externalURL: linkBase(context) ?? '',
    alerts,
  };
}

function incidentAnnotations(event: IncidentEvent, context: RenderContext): Record<string, string> {
  const text = describeEvent(event, context);
  const i = event.incident;
  return {
    incident: i.id,
    incident_type: i.type,
    summary: text.title,
    description: description(text),
    event: event.kind,
    ...(linkTo('incidents', i.id, context) ? { url: linkTo('incidents', i.id, context)! } : {}),
  };
}
