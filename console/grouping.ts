import type { Alert, Incident, Severity } from './types.js';
import { SEVERITIES } from './types.js';

/** One line of the overview: an incident with its alerts folded under it, or an alert on its own. */
export type Entry = { kind: 'incident'; incident: Incident; alerts: Alert[]; severity: Severity; since: number } | { kind: 'alert'; alert: Alert; severity: Severity; since: number };

export interface RoomGroup {
  site: string;
  siteName: string;
  /** Absent for what covers the whole site (a site-wide incident). */
  room?: string;
  roomName?: string;
  worst: Severity;
  entries: Entry[];
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);
// Worst first; within a severity the newest first: what just happened is what needs eyes.
const byWorst = (a: { severity: Severity; since: number }, b: { severity: Severity; since: number }) => rank(a.severity) - rank(b.severity) || b.since - a.since;

/**
 * The overview's order, pure so it can be reasoned about apart from the page: alerts and incidents
 * by site and room, the worst room first, each room's worst entry first; an alert that belongs to
 * a listed incident is shown under it, not again on its own.
 */
export function groupByRoom(alerts: readonly Alert[], incidents: readonly Incident[]): RoomGroup[] {
  const groups = new Map<string, RoomGroup>();
  const names = new Map<string, string>();
  for (const a of alerts) {
    if (!a.place) continue;
    names.set(a.place.site, a.place.siteName);
    names.set(`${a.place.site}/${a.place.room}`, a.place.roomName);
  }
  const groupOf = (site: string, room: string | undefined): RoomGroup => {
    const key = `${site}/${room ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { site, siteName: names.get(site) ?? site, room, roomName: room === undefined ? undefined : (names.get(`${site}/${room}`) ?? room), worst: 'warning', entries: [] };
      groups.set(key, group);
    }
    return group;
  };
  const listed = new Set(incidents.map((i) => i.id));
  const folded = new Map<string, Alert[]>();
  for (const alert of alerts) {
    if (alert.incidentId && listed.has(alert.incidentId)) {
      folded.set(alert.incidentId, [...(folded.get(alert.incidentId) ?? []), alert]);
      continue;
    }
    groupOf(alert.place?.site ?? alert.labels.site ?? '-', alert.place?.room ?? alert.labels.room ?? '-').entries.push({ kind: 'alert', alert, severity: alert.severity, since: alert.firingSince });
  }
  for (const incident of incidents) {
    const members = (folded.get(incident.id) ?? []).sort(byAlertWorst);
    const room = incident.scope.level === 'site' ? undefined : incident.scope.room;
    groupOf(incident.scope.site, room).entries.push({ kind: 'incident', incident, alerts: members, severity: incident.severity, since: incident.openedAt });
  }
  const out = [...groups.values()];
  for (const group of out) {
    group.entries.sort(byWorst);
    group.worst = group.entries[0]?.severity ?? 'warning';
  }
  return out.sort((a, b) => rank(a.worst) - rank(b.worst) || a.siteName.localeCompare(b.siteName) || (a.roomName ?? '').localeCompare(b.roomName ?? ''));
}

function byAlertWorst(a: Alert, b: Alert): number {
  return byWorst({ severity: a.severity, since: a.firingSince }, { severity: b.severity, since: b.firingSince });
}
