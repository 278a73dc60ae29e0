import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../alerts.js';
import { isIncidentEvent, type NotifyEvent } from '../../incidents/incident.js';
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
