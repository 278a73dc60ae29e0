import type { Alert } from '../alerts.js';
import type { SeriesState } from '../core/evaluate.js';
import type { Silence } from '../core/mute.js';
import type { Incident, NotifyEvent } from '../incidents/incident.js';
import type { JournaledAlert, JournaledIncident, JournalRecord, OutboxEntry } from './records.js';

/** What the journal says the engine held when it stopped (or was killed). */
export interface RestoredState {
  /** Each alert's last journaled state, resolved ones included, in the order the journal first named them. */
  alerts: Alert[];
  /** The core's memory for alerts still firing, so a condition that still holds raises nothing new. */
  series: SeriesState[];
  /** Silences people set and did not expire (expired-by-time ones too: the engine filters on read). */
  silences: Silence[];
  /** Notifications not yet delivered or given up, due at once. */
  outbox: OutboxEntry[];
  /**
   * Incidents' last journaled state, resolved ones included. A journal older than incidents has
   * none: the engine rebuilds them from the alerts that open them (IncidentBook.adopt).
   */
  incidents: Incident[];
  /** Notices decided before the stop but never queued; they go out again. Each refers to its alert in `alerts` or incident in `incidents`. */
  pending: NotifyEvent[];
}

/**
 * Rebuilds the engine's state from journal records, oldest first. Pure: `now` (steady time)
 * stands for the restart, which is when restored series resume and pending notices happen.
 */
export function replay(records: readonly JournalRecord[], now: number): RestoredState {
  const lastByKey = new Map<string, JournaledAlert>();
  const lastIncident = new Map<string, JournaledIncident>();
  const silences = new Map<string, Silence>();
  const outbox = new Map<string, OutboxEntry>();
  for (const record of records) {
    if (record.t === 'alert') lastByKey.set(record.alert.key, record.alert);
    else if (record.t === 'incident') lastIncident.set(record.incident.id, record.incident);
    else if (record.t === 'silence') silences.set(record.silence.id, record.silence);
    else if (record.t === 'expire') silences.delete(record.id);
    // Whatever was waiting for a retry is worth trying again right away after a restart.
    else if (record.t === 'out') outbox.set(record.entry.id, { ...record.entry, nextAt: now });
    else outbox.delete(record.id);
  }
  const alerts: Alert[] = [];
  const series: SeriesState[] = [];
  const pending: NotifyEvent[] = [];
  for (const journaled of lastByKey.values()) {
    const { pending: pendingKind, ...recorded } = journaled;
    const alert = withDefaults(recorded);
    alerts.push(alert);
    if (alert.status !== 'resolved') series.push(resumedSeries(alert, now));
    if (pendingKind) pending.push({ kind: pendingKind, alert, at: now });
  }
  const incidents: Incident[] = [];
  for (const { pending: pendingKind, ...incident } of lastIncident.values()) {
    incidents.push(incident);
    // Its alerts are filled in when the message is rendered (outbox), as for any incident notice.
    if (pendingKind) pending.push({ kind: pendingKind, incident, alerts: [], at: now });
  }
  return { alerts, series, silences: [...silences.values()], outbox: [...outbox.values()], incidents, pending };
}

/**
 * An alert as today's code reads it, from a line any version wrote. Lines older than `told` say
 * only whether the alert was sent (`lastSentAt`): a sent one was told to whomever its routes name
 * (`'*'`), an unsent one to nobody, so its recovery stays silent as it would now.
 */
function withDefaults(alert: Alert): Alert {
  if (alert.told) return alert;
  return { ...alert, told: alert.lastSentAt === undefined ? [] : ['*'] };
}

/**
 * The core resumes an unresolved alert as firing, so a condition that still holds raises nothing new.
 * A latched one had cleared: it resumes as ok, so the next reading of the condition raises it again
 * (the same alert, wet again) and a dry one changes nothing.
 */
function resumedSeries(alert: Alert, now: number): SeriesState {
  const latched = alert.latchedAt !== undefined;
  return {
    key: alert.key, rule: alert.rule, device: alert.device, labels: alert.labels, phase: latched ? 'ok' : 'firing', since: now,
    firingSince: latched ? undefined : alert.firingSince, value: alert.value, lastSeen: now, changes: [], flapping: alert.flapping,
  };
}
