import { describe, expect, it } from 'vitest';
import { Secret } from '../../../common/config/secret.js';
import type { Alert, AlertEvent } from '../../alerts.js';
import { Directory } from '../../notify/directory.js';
import type { ReceiverSettings } from '../../notify/registry.js';
import type { Group } from '../stage.js';
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
const group = (tier: number, events: AlertEvent[]): Group => ({ receiver: 'hook', tier, events });

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
    expect(body.alerts[0]!.generatorURL).toBe('https://noc.example/api/alerts/a1');
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
    expect(body.alerts.map((x) => x.generatorURL)).toEqual(['https://noc.example/api/alerts/b1']);
    expect(queued.records).toEqual([{ t: 'out', entry: queued.entry }, { t: 'alert', alert: still }]);
    expect([gone.told, gone.lastSentAt, still.told]).toEqual([undefined, undefined, ['hook']]);
  });
});
