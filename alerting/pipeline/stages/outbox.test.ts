import { describe, expect, it } from 'vitest';
import { Secret } from '../../../common/config/secret.js';
import type { Alert, AlertEvent } from '../../alerts.js';
import { Directory } from '../../notify/directory.js';
import type { ReceiverSettings } from '../../notify/registry.js';
import type { Incident, NotifyEvent } from '../../incidents/incident.js';
import type { AlertView, Group } from '../stage.js';
import { queueGroup, type OutboxRendering } from './outbox.js';

// Steady time 90 s after start; the wall clock is one hour ahead of it (stepped since start).
const NOW = 90_000;
const WALL = NOW + 3_600_000;

const alert = (id: string): Alert => ({
  id, key: `k-${id}`, rule: 'ups_on_battery', severity: 'critical', summary: { en: 'On battery', 'zh-CN': '电池供电' }, source: 'test',
  device: 'ups-1', labels: {}, status: 'firing', flapping: false, value: 5, threshold: '= 5', measurement: 'ups',
  field: 'output_source', firingSince: 60_000, notes: [], tiers: [],
});

const receivers = new Map<string, ReceiverSettings>([
  ['hook', { id: 'hook', type: 'webhook', language: 'en', timeoutMs: 10_000, url: new Secret('http://127.0.0.1:9/hook') }],
]);
const rendering: OutboxRendering = { receivers, directory: new Directory({ devices: [], sites: [] }), consoleUrl: 'https://noc.example/', timeZone: 'UTC' };
const group = (tier: number, events: NotifyEvent[]): Group => ({ receiver: 'hook', tier, events });

describe('outbox stage (queueGroup)', () => {
  it('renders the group with the receiver type\'s renderer and queues it, due now, in one journal write with the marks of its alerts', () => {
    const a = alert('a1');
    const { entry, records } = queueGroup(group(0, [{ kind: 'opened', alert: a, at: 60_000 }]), { now: NOW, wall: WALL }, rendering)!;
    expect(entry).toMatchObject({ receiver: 'hook', createdAt: NOW, nextAt: NOW, attempts: 0 });
    expect(entry.id).toMatch(/^hook-[0-9a-f]{16}$/);
    const body = (entry.message as { type: 'json'; body: { groupKey: string; alerts: Array<{ startsAt: string; generatorURL: string }> } }).body;
    expect(body.groupKey).toBe(entry.id);
    // Dates for people are wall-clock dates: the steady start shifted by the step.
    expect(body.alerts[0]!.startsAt).toBe(new Date(60_000 + 3_600_000).toISOString());
    expect(body.alerts[0]!.generatorURL).toBe('https://noc.example/alerts/a1');
    expect(a.lastSentAt).toBe(NOW);
    expect(records).toEqual([{ t: 'out', entry }, { t: 'alert', alert: a }]);
  });

  it('names the same events the same notification, and does not count an escalation as a send for repeats', () => {
    const a = alert('a1');
    const events: AlertEvent[] = [{ kind: 'opened', alert: a, at: 60_000 }];
    const first = queueGroup(group(1, events), { now: NOW, wall: WALL }, rendering)!;
    const again = queueGroup(group(1, events), { now: NOW + 5_000, wall: WALL + 5_000 }, rendering)!;
    expect(again.entry.id).toBe(first.entry.id);
    expect(a.lastSentAt).toBeUndefined();
    expect(queueGroup(group(1, [{ kind: 'resolved', alert: a, at: 70_000 }]), { now: NOW, wall: WALL }, rendering)!.entry.id).not.toBe(first.entry.id);
  });

  it('marks the receiver as told of each opening it queues, escalations included, and not of a recovery', () => {
    const a = alert('a1');
    const b = alert('b1');
    queueGroup(group(0, [{ kind: 'opened', alert: a, at: 60_000 }]), { now: NOW, wall: WALL }, rendering);
    queueGroup(group(1, [{ kind: 'opened', alert: a, at: 61_000 }]), { now: NOW, wall: WALL }, rendering);
    expect(a.told).toEqual(['hook']);
    const { records } = queueGroup(group(0, [{ kind: 'resolved', alert: b, at: 70_000 }]), { now: NOW, wall: WALL }, rendering)!;
    expect(b.told).toBeUndefined();
    expect(records).toEqual([{ t: 'out', entry: expect.anything() as unknown }, { t: 'alert', alert: b }]);
  });

  it('marks the receiver as told of a flapping notice: it may be the first they hear of the alert', () => {
    const a = alert('a1');
    queueGroup(group(0, [{ kind: 'flapping', alert: a, at: 60_000 }]), { now: NOW, wall: WALL }, rendering);
    expect(a.told).toEqual(['hook']);
  });

  it('leaves out an opening whose alert resolved while it waited, and queues nothing when that was all', () => {
    const gone: Alert = { ...alert('a1'), status: 'resolved', resolvedAt: 65_000 };
    const still = alert('b1');
    expect(queueGroup(group(0, [{ kind: 'opened', alert: gone, at: 60_000 }]), { now: NOW, wall: WALL }, rendering)).toBeUndefined();
    const queued = queueGroup(group(0, [{ kind: 'opened', alert: gone, at: 60_000 }, { kind: 'opened', alert: still, at: 61_000 }]), { now: NOW, wall: WALL }, rendering)!;
    const body = (queued.entry.message as { type: 'json'; body: { alerts: Array<{ generatorURL: string }> } }).body;
    expect(body.alerts.map((x) => x.generatorURL)).toEqual(['https://noc.example/alerts/b1']);
    expect(queued.records).toEqual([{ t: 'out', entry: queued.entry }, { t: 'alert', alert: still }]);
    expect([gone.told, gone.lastSentAt, still.told]).toEqual([undefined, undefined, ['hook']]);
  });
});

describe('outbox stage with incidents', () => {
  const incident = (overrides: Partial<Incident> = {}): Incident => ({
    id: 'i1', type: 'mains_failure', scope: { level: 'room', site: 's1', room: 'r1' }, severity: 'critical', category: 'power',
    summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'open', openedAt: 60_000, notes: [], tiers: [],
    members: [{ key: 'k-ups', id: 'ups', role: 'opener', joinedAt: 60_000 }, { key: 'k-crac', id: 'crac', role: 'member', joinedAt: 61_000 }], ...overrides,
  });
  function viewOf(incidents: Incident[], alerts: Alert[]): AlertView {
    return {
      active: () => alerts, silences: () => [], maintenanceWindows: [], routes: [], receivers: ['hook'],
      device: () => ({ name: 'x', site: 's1', siteName: 'S', room: 'r1', roomName: 'R', deviceType: 'x', category: '-', labels: {}, units: {} }),
      incidents: { get: (id) => incidents.find((i) => i.id === id), alertsOf: (i) => i.members.flatMap((m) => alerts.filter((a) => a.id === m.id)), holdMs: () => 0 },
    };
  }

  it('renders an incident with its alerts as they are when it goes out, and marks it and them told and listed in the same write', () => {
    const ups = { ...alert('ups'), key: 'k-ups', incidentId: 'i1' };
    const crac = { ...alert('crac'), key: 'k-crac', incidentId: 'i1' };
    const i = incident();
    // Gathered when only the UPS was in it: the CRAC joined meanwhile, and its own opening is no longer news.
    const events: NotifyEvent[] = [{ kind: 'incident_opened', incident: i, alerts: [ups], at: 60_000 }, { kind: 'opened', alert: crac, at: 61_000 }];
    const { entry, records } = queueGroup(group(0, events), { now: NOW, wall: WALL, view: viewOf([i], [ups, crac]) }, rendering)!;
    const body = (entry.message as { type: 'json'; body: { alerts: Array<{ fingerprint: string; labels: { incident?: string } }> } }).body;
    expect(body.alerts.map((a) => [a.fingerprint, a.labels.incident])).toEqual([['ups', 'i1'], ['crac', 'i1']]);
    expect([i.told, i.lastSentAt, i.members.map((m) => m.listed)]).toEqual([['hook'], NOW, [true, true]]);
    expect([ups.told, crac.told]).toEqual([['hook'], ['hook']]);
    expect(records).toEqual([{ t: 'out', entry }, { t: 'alert', alert: ups }, { t: 'alert', alert: crac }, { t: 'incident', incident: i }]);
  });

  it('leaves out the opening of an incident that resolved while it waited', () => {
    const i = incident({ status: 'resolved', resolvedAt: 70_000 });
    expect(queueGroup(group(0, [{ kind: 'incident_opened', incident: i, alerts: [], at: 60_000 }]), { now: NOW, wall: WALL, view: viewOf([i], []) }, rendering)).toBeUndefined();
  });

  it('does not move the count of "joined later" with a recovery, nor mark anyone told of it', () => {
    const ups = { ...alert('ups'), key: 'k-ups', incidentId: 'i1', status: 'resolved' as const, resolvedAt: 80_000 };
    const i = incident({ status: 'resolved', resolvedAt: 80_000, lastSentAt: 61_500, told: ['hook'] });
    i.members[0]!.listed = true;
    const { records } = queueGroup(group(0, [{ kind: 'incident_resolved', incident: i, alerts: [], at: 80_000 }]), { now: NOW, wall: WALL, view: viewOf([i], [ups]) }, rendering)!;
    expect([i.lastSentAt, i.told]).toEqual([61_500, ['hook']]);
    expect(records.map((r) => r.t)).toEqual(['out', 'incident']);
  });
});
