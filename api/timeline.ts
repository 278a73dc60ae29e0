import type { Alert } from '../alerting/alerts.js';
import type { AlertView } from '../alerting/pipeline/stage.js';
import { routesFor } from '../alerting/pipeline/stages/route.js';
import type { EventListRow } from '../reports/faults/store.js';

export const TIMELINE_EVENTS = ['opened', 'notified', 'acknowledged', 'escalated', 'noted', 'resolved', 'flapping'] as const;
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number];

export interface TimelineEntry {
  at: number;
  event: TimelineEvent;
  by?: string;
  text?: string;
  receiver?: string;
}

/** When and to whom an alert's route escalates (its escalate_after and escalate_to), if it does. */
export interface Escalation {
  afterMs: number;
  to: readonly string[];
}

/** The escalation of an alert's routes: the engine escalates once, when the soonest escalate_after has passed. */
export function escalationOf(alert: Alert, view: Pick<AlertView, 'routes' | 'receivers' | 'device'>): Escalation | undefined {
  const escalating = routesFor(alert, view).filter((r) => r.escalateAfterMs !== undefined);
  if (!escalating.length) return undefined;
  return { afterMs: Math.min(...escalating.map((r) => r.escalateAfterMs!)), to: [...new Set(escalating.flatMap((r) => r.escalateTo ?? []))] };
}

/**
 * What happened to an alert, oldest first, from what the alert itself keeps (the journal's copy)
 * and its alert_events rows. The alert knows who acknowledged and noted it and when, whom its
 * opening was sent to and when it was last sent (`told`, `lastSentAt`), whether it escalated
 * (`tiers`), and how it ended; it does not keep when it started flapping, which only its
 * `flapping` row says. An alert the daemon no longer holds is told from its rows alone.
 */
export function alertTimeline(alert: Alert | undefined, rows: readonly EventListRow[], escalation?: Escalation): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  if (alert) {
    entries.push({ at: alert.firingSince, event: 'opened' });
    // The time of the first send is not kept, only the latest to the first tier (a critical alert's reminders move it).
    if (alert.lastSentAt !== undefined) for (const receiver of (alert.told ?? []).filter((r) => r !== '*')) entries.push({ at: alert.lastSentAt, event: 'notified', receiver });
    if (alert.tiers.includes(1) && escalation) {
      for (const receiver of escalation.to) entries.push({ at: alert.firingSince + escalation.afterMs, event: 'escalated', receiver });
    }
    if (alert.ack) entries.push({ at: alert.ack.at, event: 'acknowledged', by: alert.ack.by, ...(alert.ack.note ? { text: alert.ack.note } : {}) });
    for (const note of alert.notes) entries.push({ at: note.at, event: 'noted', by: note.by, text: note.text });
    if (alert.resolvedAt !== undefined) {
      const why = alert.resolution ? [alert.resolution.reason, alert.resolution.text].filter(Boolean).join(': ') : undefined;
      entries.push({ at: alert.resolvedAt, event: 'resolved', ...(why ? { text: why } : {}) });
    }
  }
  for (const row of rows) {
    const event = row.event;
    if (event !== 'opened' && event !== 'acknowledged' && event !== 'flapping' && event !== 'resolved') continue;
    // The alert's own fields are the fuller account of what they both say.
    if (alert && event !== 'flapping') continue;
    const by = event === 'acknowledged' && typeof row.ack_by === 'string' ? { by: row.ack_by } : {};
    const text = event === 'resolved' && typeof row.reason === 'string' ? { text: row.reason } : {};
    entries.push({ at: row.time, event, ...by, ...text });
  }
  return entries.sort((a, b) => a.at - b.at || TIMELINE_EVENTS.indexOf(a.event) - TIMELINE_EVENTS.indexOf(b.event));
}
