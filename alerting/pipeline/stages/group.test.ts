import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../alerts.js';
import { isIncidentEvent, type Incident, type NotifyEvent } from '../../incidents/incident.js';
import type { AlertView, Group, Notice, StageContext } from '../stage.js';
import { RoomGatherer } from './group.js';

const ROOMS: Record<string, string> = { 'ups-1': 'r1', 'crac-1': 'r1', 'th-2': 'r2' };

const alert = (id: string, device: string): Alert => ({
  id, key: `k-${id}`, rule: 'room_hot', severity: 'major', summary: { en: id, 'zh-CN': id }, source: 'test',
  device, labels: {}, status: 'firing', flapping: false, value: 31, threshold: '> 30', measurement: 'env',
  field: 'temperature', firingSince: 0, notes: [], tiers: [],
});

const view: AlertView = {
  active: () => [], silences: () => [], maintenanceWindows: [], routes: [], receivers: ['duty'],
  device: (id) => ({ name: id, site: 's1', siteName: 'Site', room: ROOMS[id] ?? '-', roomName: 'Room', deviceType: 'x', category: '-', labels: {}, units: {} }),
};
const at = (now: number): StageContext => ({ now, wall: now, view, hold: () => undefined });
const notice = (id: string, device: string, receiver: string | undefined, tier = 0): Notice => ({ event: { kind: 'opened', alert: alert(id, device), at: 0 } satisfies AlertEvent, tier, receiver });
const idOf = (e: NotifyEvent) => (isIncidentEvent(e) ? `incident ${e.incident.id}` : e.alert.id);
const ids = (groups: Group[]) => groups.map((g) => `${g.receiver}/${g.tier}:${g.events.map(idOf).join(',')}`);

describe('group stage (RoomGatherer)', () => {
  it('gathers a room\'s notices per receiver and tier, and hands a group over once group_wait after its first notice is over', () => {
    const g = new RoomGatherer(10_000);
    g.add([notice('a', 'ups-1', 'duty'), notice('b', 'ups-1', 'boss')], at(1_000));
    g.add([notice('c', 'crac-1', 'duty'), notice('d', 'th-2', 'duty'), notice('e', 'ups-1', 'duty', 1)], at(4_000));
    expect(g.nextWakeAt()).toBe(11_000);
    expect(g.due(at(10_999))).toEqual([]);
    expect(ids(g.due(at(11_000)))).toEqual(['duty/0:a,c', 'boss/0:b']);
    expect(g.nextWakeAt()).toBe(14_000);
    expect(g.waiting().map(idOf)).toEqual(['d', 'e']);
    // A notice for a room whose group went out opens a new group with its own wait.
    g.add([notice('f', 'ups-1', 'duty')], at(12_000));
    expect(ids(g.due(at(14_000)))).toEqual(['duty/0:d', 'duty/1:e']);
    expect(g.nextWakeAt()).toBe(22_000);
  });

  it('ignores notices no route gave a receiver, and with group_wait 0 a group is due at once', () => {
    const g = new RoomGatherer(0);
    g.add([notice('a', 'ups-1', undefined)], at(5_000));
    expect(g.nextWakeAt()).toBeUndefined();
    g.add([notice('b', 'ups-1', 'duty')], at(5_000));
    expect(ids(g.due(at(5_000)))).toEqual(['duty/0:b']);
    expect(g.nextWakeAt()).toBeUndefined();
  });

  it('drains every group, due or not, when stopping', () => {
    const g = new RoomGatherer(60_000);
    g.add([notice('a', 'ups-1', 'duty'), notice('b', 'th-2', 'duty')], at(0));
    expect(ids(g.drain())).toEqual(['duty/0:a', 'duty/0:b']);
    expect(g.nextWakeAt()).toBeUndefined();
    expect(g.waiting()).toEqual([]);
  });
});

describe('group stage with incidents', () => {
  const incident = (id: string): Incident => ({
    id, type: 'mains_failure', scope: { level: 'room', site: 's1', room: 'r1' }, severity: 'critical', category: 'power',
    summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'open', openedAt: 0, members: [], notes: [], tiers: [],
  });
  const incidentNotice = (i: Incident, receiver = 'duty'): Notice => ({ event: { kind: 'incident_opened', incident: i, alerts: [], at: 0 }, tier: 0, receiver });

  it('gathers an incident\'s notices apart from its room\'s, once however many alerts brought it', () => {
    const g = new RoomGatherer(10_000);
    const i = incident('i1');
    g.add([incidentNotice(i), notice('a', 'ups-1', 'duty'), incidentNotice(i)], at(1_000));
    g.add([incidentNotice(i)], at(3_000));
    expect(ids(g.due(at(11_000)))).toEqual(['duty/0:incident i1', 'duty/0:a']);
  });

  it('keeps a group until the latest notBefore of its notices, and lets it go at group_wait once that notice is claimed', () => {
    const g = new RoomGatherer(10_000);
    g.add([{ ...notice('crac', 'crac-1', 'duty'), notBefore: 25_000 }, notice('hot', 'crac-1', 'duty')], at(5_000));
    expect(g.nextWakeAt()).toBe(25_000);
    expect(g.due(at(15_000))).toEqual([]);
    expect(g.claim('k-crac')).toBe(true);
    expect(g.nextWakeAt()).toBe(15_000);
    expect(ids(g.due(at(15_000)))).toEqual(['duty/0:hot']);
  });

  it('drops a group left empty by a claim, and claims nothing of another alert or of a recovery', () => {
    const g = new RoomGatherer(10_000);
    g.add([{ ...notice('crac', 'crac-1', 'duty'), notBefore: 25_000 }], at(5_000));
    g.add([{ event: { kind: 'resolved', alert: alert('old', 'crac-1'), at: 5_000 }, tier: 0, receiver: 'boss' }], at(5_000));
    expect(g.claim('k-other')).toBe(false);
    expect(g.claim('k-crac')).toBe(true);
    expect(g.claim('k-old')).toBe(false);
    expect(ids(g.drain())).toEqual(['boss/0:old']);
  });
});
