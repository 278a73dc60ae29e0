import type { AlertEvent } from '../../alerts.js';
import { isIncidentEvent, type NotifyEvent } from '../../incidents/incident.js';
import { describeEvent, type RenderContext } from '../render-common.js';

/**
 * An incident as Alertmanager receivers know groups: each of its alerts one entry, labelled with
 * the incident id, told as the incident is (opened or recovered).
 */
function alertEvents(event: NotifyEvent): Array<{ event: AlertEvent; incident?: string }> {
  if (!isIncidentEvent(event)) return [{ event }];
  const kind = event.kind === 'incident_resolved' ? 'resolved' : 'opened';
  return event.alerts.map((alert) => ({ event: { kind, alert, at: event.at }, incident: event.incident.id }));
}

/** Alertmanager's webhook payload (version 4), so existing receivers work unchanged. */
export function renderAlertmanager(events: readonly NotifyEvent[], context: RenderContext, receiver: string, groupKey: string): unknown {
  const entries = events.flatMap(alertEvents);
  const alerts = entries.map(({ event: e, incident }) => {
    const a = e.alert;
    const info = context.directory.get(a.device);
    return {
      status: a.status === 'resolved' ? 'resolved' : 'firing',
      labels: { alertname: a.rule, severity: a.severity, site: info.site, room: info.room, device: a.device, device_type: info.deviceType, ...a.labels, ...(incident ? { incident } : {}) },
      annotations: { summary: a.summary[context.language], description: describeEvent(e, context).lines.map(([k, v]) => `${k}: ${v}`).join('\n'), source: a.source, event: e.kind },
      startsAt: new Date(context.toWall?.(a.firingSince) ?? a.firingSince).toISOString(),
      endsAt: a.resolvedAt ? new Date(context.toWall?.(a.resolvedAt) ?? a.resolvedAt).toISOString() : '0001-01-01T00:00:00Z',
      generatorURL: context.consoleUrl ? `${context.consoleUrl.replace(/\/$/, '')}/alerts/${a.id}` : '',
      fingerprint: a.id,
    };
  });
  const first = context.directory.get(entries[0]?.event.alert.device ?? '-');
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver,
    groupLabels: { site: first.site, room: first.room },
    commonLabels: { site: first.site, room: first.room },
    commonAnnotations: {},
    externalURL: context.consoleUrl ?? '',
    alerts,
  };
}
