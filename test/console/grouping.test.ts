import { describe, expect, it } from 'vitest';
import { groupByRoom } from '../../console/grouping.js';
import { route, safeNext } from '../../console/router.js';
import type { Alert, Incident, Severity } from '../../console/types.js';

const place = (room: string) => ({ name: `dev-${room}`, site: 'prov', siteName: '省公司', room, roomName: `${room}机房`, deviceType: 'ups' });

function alert(id: string, severity: Severity, room: string, firingSince: number, incidentId?: string): Alert {
  return {
    id, rule: 'r', severity, summary: { en: id, 'zh-CN': id }, device: `dev-${room}`, labels: {}, status: 'firing', flapping: false,
    threshold: '> 1', measurement: 'm', field: 'f', firingSince, notes: [], place: place(room), incidentId,
  };
}

function incident(id: string, severity: Severity, scope: Incident['scope'], openedAt: number): Incident {
  return { id, type: 'mains_failure', scope, severity, category: 'power', summary: { en: id, 'zh-CN': id }, status: 'open', openedAt, members: [], notes: [] };
}

describe('the overview order', () => {
  it('puts the worst room first, the worst entry of each room first (newest first within a severity), with names from the alerts', () => {
    const groups = groupByRoom(
      [alert('w1', 'warning', 'a', 1), alert('m1', 'major', 'b', 1), alert('c-old', 'critical', 'b', 1), alert('c-new', 'critical', 'b', 5), alert('m2', 'major', 'a', 9)],
      [],
    );
    expect(groups.map((g) => [g.roomName, g.worst])).toEqual([['b机房', 'critical'], ['a机房', 'major']]);
    expect(groups[0]!.siteName).toBe('省公司');
    expect(groups[0]!.entries.map((e) => (e.kind === 'alert' ? e.alert.id : e.incident.id))).toEqual(['c-new', 'c-old', 'm1']);
    expect(groups[1]!.entries.map((e) => (e.kind === 'alert' ? e.alert.id : ''))).toEqual(['m2', 'w1']);
  });

  it('folds an incident\'s alerts under it, and a site-wide incident gets a group of its own', () => {
    const groups = groupByRoom(
      [alert('x1', 'minor', 'a', 1, 'inc0000001'), alert('x2', 'critical', 'a', 2, 'inc0000001'), alert('lone', 'major', 'a', 3), alert('orphan', 'minor', 'a', 4, 'gone000001')],
      [incident('inc0000001', 'critical', { level: 'room', site: 'prov', room: 'a' }, 1), incident('site000001', 'major', { level: 'site', site: 'prov' }, 1)],
    );
    const room = groups.find((g) => g.room === 'a')!;
    expect(room.entries.map((e) => (e.kind === 'alert' ? e.alert.id : e.incident.id))).toEqual(['inc0000001', 'lone', 'orphan']);
    const folded = room.entries[0]!;
    expect(folded.kind === 'incident' && folded.alerts.map((a) => a.id)).toEqual(['x2', 'x1']);
    const site = groups.find((g) => g.room === undefined)!;
    expect(site.siteName).toBe('省公司');
    expect(site.entries).toHaveLength(1);
  });
});

describe('the console\'s pages by path', () => {
  it('knows every page and nothing else', () => {
    expect(route('/')).toEqual({ page: 'overview' });
    expect(route('/alerts/3f9c2a1b07')).toEqual({ page: 'alert', id: '3f9c2a1b07' });
    expect(route('/incidents/7c1e09ab42')).toEqual({ page: 'incident', id: '7c1e09ab42' });
    expect(route('/rooms/site%201/room-1')).toEqual({ page: 'room', site: 'site 1', room: 'room-1' });
    expect(route('/devices/ups-1')).toEqual({ page: 'device', id: 'ups-1' });
    expect(route('/history')).toEqual({ page: 'history' });
    expect(route('/alerts/1/2')).toEqual({ page: 'unknown' });
    expect(route('/nothing')).toEqual({ page: 'unknown' });
  });
});

describe('the way back after logging in', () => {
  it('follows a path on this site and nothing else', () => {
    expect(safeNext('/alerts/3f9c2a1b07?x=1')).toBe('/alerts/3f9c2a1b07?x=1');
    for (const bad of [null, '', '//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/login?next=/']) expect(safeNext(bad)).toBe('/');
  });
});
