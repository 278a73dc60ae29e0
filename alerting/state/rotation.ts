import { join } from 'node:path';
import type { Alert, AlertEvent } from '../alerts.js';
import type { Silence } from '../core/mute.js';
import { isIncidentEvent, type Incident, type NotifyEvent } from '../incidents/incident.js';
import type { JournalRecord, OutboxEntry } from './records.js';

/** What the engine holds at a rotation: everything a new journal must carry to replay the same state. */
export interface LiveState {
  active: readonly Alert[];
  /** Notices decided but not yet queued (restored ones, those gathering in groups). */
  waiting: readonly NotifyEvent[];
  /** Incidents open, acknowledged or settling, and resolved ones with alerts still active. */
  incidents: readonly Incident[];
  /** Resolved alerts of those incidents: their recovery message lists them. */
  incidentAlerts: readonly Alert[];
  /** Silences people set (config silences come back from the config, not the journal). */
  silences: Iterable<Silence>;
  outbox: Iterable<OutboxEntry>;
}

/**
 * The records a rotated journal starts with. A waiting notice keeps its `pending` marker, and a
 * resolved alert or incident whose recovery is still waiting is kept too, or a restart would lose
 * that notice. Live incidents keep their resolved alerts, which their recovery lists.
 * Silences already over (by the wall clock) are history and stay in the archive.
 */
export function liveRecords(state: LiveState, wall: number): JournalRecord[] {
  const alertNotices = state.waiting.filter((e): e is AlertEvent => !isIncidentEvent(e));
  const pendingKinds = new Map<string, AlertEvent['kind']>(alertNotices.map((e) => [e.alert.key, e.kind]));
  // An incident's opening waits in the gatherer in its alerts' stead: their markers bring it back.
  for (const e of state.waiting.filter(isIncidentEvent)) {
    if (e.kind === 'incident_opened') for (const alert of e.alerts) if (!pendingKinds.has(alert.key)) pendingKinds.set(alert.key, 'opened');
  }
  const resolvedWaiting = alertNotices.filter((e) => e.alert.status === 'resolved').map((e) => e.alert);
  const recoveries = state.waiting.filter(isIncidentEvent).filter((e) => e.kind === 'incident_resolved');
  const resolved = new Set(resolvedWaiting);
  return [
    ...[...state.active, ...resolvedWaiting, ...state.incidentAlerts.filter((a) => !resolved.has(a))].map((alert) => ({ t: 'alert' as const, alert: { ...alert, pending: pendingKinds.get(alert.key) } })),
    ...state.incidents.map((incident) => ({ t: 'incident' as const, incident })),
    ...recoveries.map((e) => ({ t: 'incident' as const, incident: { ...e.incident, pending: e.kind } })),
    ...[...state.silences].filter((s) => s.endsAt > wall).map((silence) => ({ t: 'silence' as const, silence })),
    ...[...state.outbox].map((entry) => ({ t: 'out' as const, entry })),
  ];
}

/** Where a rotated journal is archived: named by the wall time, safe as a file name on any system. */
export function historyFile(stateDir: string, wall: number): string {
  const stamp = new Date(wall).toISOString().replace(/[:.]/g, '-');
  return join(stateDir, 'history', `journal-${stamp}.ndjson`);
}
