import { createHash } from 'node:crypto';
import type { Alert } from '../../alerts.js';
import { isIncidentEvent, type Incident, type NotifyEvent } from '../../incidents/incident.js';
import type { Directory } from '../../notify/directory.js';
import { renderFor, type ReceiverSettings } from '../../notify/registry.js';
import type { JournalRecord, OutboxEntry } from '../../state/records.js';
import { wallAt, type AlertView, type Group, type StageContext } from '../stage.js';
import { incidentAlerts } from './fold.js';

/** What rendering needs besides the events: each receiver's settings and how to name things. */
export interface OutboxRendering {
  readonly receivers: ReadonlyMap<string, ReceiverSettings>;
  readonly directory: Directory;
  readonly consoleUrl?: string;
  readonly timeZone?: string;
  /** Brings an alert's context readings up to the latest poll (context.ts): a message shows them as they are when it goes out. */
  readonly refreshContext?: (alert: Alert) => void;
}

/**
 * The group's events as they stand now. An opening whose alert resolved while it waited is no
 * longer news, and its recovery went to nobody (nobody had been told); an alert that joined an
 * incident while it waited is told by the incident's message. An incident's event lists its
 * alerts as they are now; an opening of an incident that resolved meanwhile, or whose alerts all
 * cleared, is left out like an alert's.
 */
function current(events: readonly NotifyEvent[], view: AlertView | undefined): NotifyEvent[] {
  const incidents = view?.incidents;
  return events.flatMap((e): NotifyEvent[] => {
    if (isIncidentEvent(e)) {
      if (e.kind === 'incident_opened' && e.incident.status === 'resolved') return [];
      const alerts = incidents ? incidentAlerts(e.kind, e.incident, incidents) : e.alerts;
      return e.kind === 'incident_opened' && !alerts.length ? [] : [{ ...e, alerts }];
    }
    if (e.kind === 'opened' && e.alert.status === 'resolved') return [];
    const incident = e.alert.incidentId === undefined ? undefined : incidents?.get(e.alert.incidentId);
    return incident && incident.status !== 'resolved' ? [] : [e];
  });
}

/**
 * A due group becomes one rendered notification (through the receiver type's renderer in the
 * registry) and the journal records that queue it. The id is a hash of what the message says, so
 * the same group rendered again after a crash is the same notification to the receiver.
 *
 * The caller appends `records` in one write: the `out` entry and the marks on its alerts and
 * incidents (`told`, `lastSentAt`, `listed`) are then either both on disk or neither, after a crash.
 * A group left with nothing to say queues nothing.
 */
export function queueGroup(group: Group, ctx: Pick<StageContext, 'now' | 'wall'> & { view?: AlertView }, rendering: OutboxRendering): { entry: OutboxEntry; records: JournalRecord[] } | undefined {
  const events = current(group.events, ctx.view);
  if (!events.length) return undefined;
  if (rendering.refreshContext) for (const e of events) for (const alert of isIncidentEvent(e) ? e.alerts : e.kind === 'resolved' ? [] : [e.alert]) if (alert.status !== 'resolved') rendering.refreshContext(alert);
  const receiver = rendering.receivers.get(group.receiver)!;
  const identity = events.map((e) => (isIncidentEvent(e) ? `${e.incident.id}:${e.kind}:${e.at}` : `${e.alert.id}:${e.kind}:${e.at}`)).join(',');
  const id = `${receiver.id}-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
  const context = { language: receiver.language, directory: rendering.directory, consoleUrl: rendering.consoleUrl, timeZone: rendering.timeZone, toWall: (t: number) => wallAt(t, ctx) };
  const message = renderFor(receiver, events, context, { receiver: receiver.id, notification: id });
  const entry: OutboxEntry = { id, receiver: receiver.id, message, createdAt: ctx.now, attempts: 0, nextAt: ctx.now };
  const alerts = new Set<Alert>();
  const incidents = new Set<Incident>();
  for (const e of events) {
    if (isIncidentEvent(e)) {
      incidents.add(e.incident);
      if (e.kind !== 'incident_opened') continue;
      // The recovery's "joined later" is counted from the last first-tier opening, so only openings move it.
      if (group.tier === 0) e.incident.lastSentAt = ctx.now;
      e.incident.told = told(e.incident.told, receiver.id);
      for (const alert of e.alerts) {
        const member = e.incident.members.find((m) => m.id === alert.id);
        if (member) member.listed = true;
        markSent(alert, group.tier, receiver.id, ctx.now);
        alerts.add(alert);
      }
      continue;
    }
    // Only first-tier sends count for repeats; an escalation is not a reminder to the on-duty engineer.
    if (group.tier === 0) e.alert.lastSentAt = ctx.now;
    // A flapping notice may be the first anyone hears of an alert (it started flapping as it opened): its end is news to them too.
    if (e.kind === 'opened' || e.kind === 'flapping') e.alert.told = told(e.alert.told, receiver.id);
    alerts.add(e.alert);
  }
  const marks: JournalRecord[] = [...[...alerts].map((alert) => ({ t: 'alert' as const, alert })), ...[...incidents].map((incident) => ({ t: 'incident' as const, incident }))];
  return { entry, records: [{ t: 'out', entry }, ...marks] };
}

function markSent(alert: Alert, tier: number, receiver: string, now: number): void {
  if (tier === 0) alert.lastSentAt = now;
  alert.told = told(alert.told, receiver);
}

function told(list: readonly string[] | undefined, receiver: string): string[] {
  return list?.includes(receiver) ? [...list] : [...(list ?? []), receiver];
}
