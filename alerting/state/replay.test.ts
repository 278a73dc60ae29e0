import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../alerts.js';
import { isIncidentEvent, type Incident, type NotifyEvent } from '../incidents/incident.js';
import type { JournalRecord, OutboxEntry } from './records.js';
import { replay } from './replay.js';

const RESTART = 50_000;

/** The alerts' notices among restored ones (incidents' are tested on their own). */
const alertNotices = (events: readonly NotifyEvent[]) => events.filter((e): e is AlertEvent => !isIncidentEvent(e));

function alert(key: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id: `id-${key}`, key, rule: 'battery_hot', severity: 'major', summary: { en: 'Battery hot', 'zh-CN': '电池过热' },
    source: 'template', device: 'ups-1', labels: {}, status: 'firing', flapping: false, value: 41, threshold: '> 40',
    measurement: 'ups', field: 'battery_temperature', firingSince: 1_000, notes: [], tiers: [0], ...overrides,
  };
}

function entry(id: string, nextAt: number): OutboxEntry {
  return { id, receiver: 'ops', message: { type: 'json', body: { id } }, createdAt: 2_000, attempts: 2, nextAt, lastError: 'HTTP 503' };
}

const silence = (id: string) => ({ id, matchers: { site: 'sh' }, startsAt: 0, endsAt: 90_000, author: 'li', reason: 'UPS swap' });

describe('replay', () => {
  it('keeps the last record of each alert, in the order the journal first named them', () => {
    const records: JournalRecord[] = [
      { t: 'alert', alert: alert('a', { value: 41 }) },
      { t: 'alert', alert: alert('b') },
      { t: 'alert', alert: alert('a', { value: 45, status: 'acknowledged', ack: { by: 'li', at: 3_000 } }) },
    ];
    const { alerts } = replay(records, RESTART);
    expect(alerts.map((a) => [a.key, a.value, a.status])).toEqual([['a', 45, 'acknowledged'], ['b', 41, 'firing']]);
  });

  it('resumes the core as firing for unresolved alerts only, from the restart on', () => {
    const records: JournalRecord[] = [
      { t: 'alert', alert: alert('a', { flapping: true }) },
      { t: 'alert', alert: alert('b', { status: 'resolved', resolvedAt: 4_000 }) },
    ];
    expect(replay(records, RESTART).series).toEqual([
      { key: 'a', rule: 'battery_hot', device: 'ups-1', labels: {}, phase: 'firing', since: RESTART, firingSince: 1_000, value: 41, lastSeen: RESTART, changes: [], flapping: true },
    ]);
  });

  it('resumes a latched alert (condition cleared, waiting for an ack) as ok, so the next reading of the condition raises it again', () => {
    const records: JournalRecord[] = [
      { t: 'alert', alert: alert('leak', { rule: 'water_leak', value: 1 }) },
      { t: 'alert', alert: alert('leak', { rule: 'water_leak', value: 0, latchedAt: 9_000, told: [] }) },
    ];
    const { alerts, series, pending } = replay(records, RESTART);
    expect(alerts).toEqual([alert('leak', { rule: 'water_leak', value: 0, latchedAt: 9_000, told: [] })]);
    expect(series).toEqual([
      { key: 'leak', rule: 'water_leak', device: 'ups-1', labels: {}, phase: 'ok', since: RESTART, value: 0, lastSeen: RESTART, changes: [], flapping: false },
    ]);
    expect(series[0]!.firingSince).toBeUndefined();
    expect(pending).toEqual([]);
  });

  it('replays a journal line written before latching existed (no latchedAt) as an unlatched, firing alert', () => {
    // As main wrote it before latching: no latchedAt key at all.
    const line = '{"t":"alert","alert":{"id":"8adef1bcde","key":"water_leak|leak-1","rule":"water_leak","severity":"critical","summary":{"en":"Water leak detected","zh-CN":"检测到漏水"},"source":"DOMAIN.md: water leak critical at once, latched until acknowledged","device":"leak-1","labels":{},"status":"firing","flapping":false,"value":1,"threshold":"= 1","measurement":"leak","field":"leak_detected","firingSince":1000,"notes":[],"tiers":[0],"lastSentAt":2000}}';
    const { alerts, series } = replay([JSON.parse(line) as JournalRecord], RESTART);
    expect(alerts.map((a) => [a.key, a.status, 'latchedAt' in a])).toEqual([['water_leak|leak-1', 'firing', false]]);
    expect(series.map((s) => [s.key, s.phase, s.firingSince])).toEqual([['water_leak|leak-1', 'firing', 1_000]]);
  });

  it('turns a pending marker into a notice at the restart, about the same alert it restores, without the marker', () => {
    const records: JournalRecord[] = [
      { t: 'alert', alert: { ...alert('a'), pending: 'opened' } },
      { t: 'alert', alert: { ...alert('b', { status: 'resolved', resolvedAt: 4_000 }), pending: 'resolved' } },
      { t: 'alert', alert: { ...alert('c'), pending: 'opened' } },
      // c was queued after its marker: its latest record has none, so it is not sent again
      { t: 'alert', alert: alert('c') },
    ];
    const { alerts, pending: restored } = replay(records, RESTART);
    const pending = alertNotices(restored);
    expect(pending.map((e) => [e.alert.key, e.kind, e.at])).toEqual([['a', 'opened', RESTART], ['b', 'resolved', RESTART]]);
    expect(pending[0]!.alert).toBe(alerts[0]);
    expect(pending[1]!.alert).toBe(alerts[1]);
    expect(alerts.some((a) => 'pending' in a)).toBe(false);
  });

  it('keeps silences people set until they are expired', () => {
    const records: JournalRecord[] = [
      { t: 'silence', silence: silence('s1') },
      { t: 'silence', silence: silence('s2') },
      { t: 'expire', id: 's1' },
    ];
    expect(replay(records, RESTART).silences).toEqual([silence('s2')]);
  });

  it('keeps undelivered notifications, due at once, and drops those delivered or given up', () => {
    const records: JournalRecord[] = [
      { t: 'out', entry: entry('n1', 9_000) },
      { t: 'out', entry: entry('n2', 99_000) },
      { t: 'out', entry: entry('n3', 9_000) },
      { t: 'done', id: 'n1', at: 9_500 },
      { t: 'failed', id: 'n3', at: 9_600, error: 'HTTP 400' },
    ];
    expect(replay(records, RESTART).outbox).toEqual([{ ...entry('n2', 99_000), nextAt: RESTART }]);
  });

  it('restores nothing from an empty journal', () => {
    expect(replay([], RESTART)).toEqual({ alerts: [], series: [], silences: [], outbox: [], incidents: [], pending: [] });
  });

  it('gives alerts of a line older than `told` the receivers it was sent to as "whatever routes say", and the others nobody', () => {
    const records: JournalRecord[] = [
      { t: 'alert', alert: alert('sent', { lastSentAt: 2_000 }) },
      { t: 'alert', alert: alert('held', { muted: 'silence s1' }) },
      { t: 'alert', alert: alert('told', { lastSentAt: 2_000, told: ['ops'] }) },
    ];
    expect(replay(records, RESTART).alerts.map((a) => [a.key, a.told])).toEqual([['sent', ['*']], ['held', []], ['told', ['ops']]]);
  });
});

// A journal written by the version before `told` (testcases/journal-v0) replays, with defaults.
describe('replay of a v0 journal', () => {
  const dir = new URL('testcases/journal-v0/', import.meta.url);
  const records = readFileSync(new URL('journal.ndjson', dir), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as JournalRecord);
  const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as {
    alerts: Array<Pick<Alert, 'id' | 'rule' | 'device' | 'status' | 'told'>>;
    pending: Array<{ id: string; kind: string }>;
    series: string[];
    silences: number;
    outbox: number;
  };

  it('restores every alert with whom it was told, the notice still gathering, the series, the silence and an empty outbox', () => {
    const restored = replay(records, RESTART);
    expect(restored.alerts.map(({ id, rule, device, status, told }) => ({ id, rule, device, status, told }))).toEqual(expected.alerts);
    expect(alertNotices(restored.pending).map((e) => ({ id: e.alert.id, kind: e.kind }))).toEqual(expected.pending);
    expect(restored.incidents).toEqual([]);
    const ids = new Map(restored.alerts.map((a) => [a.key, a.id]));
    expect(restored.series.map((s) => ids.get(s.key))).toEqual(expected.series);
    expect([restored.silences.length, restored.outbox.length]).toEqual([expected.silences, expected.outbox]);
  });
});

describe('replay of incidents', () => {
  const incident = (overrides: Partial<Incident>): Incident => ({
    id: 'i1', type: 'mains_failure', scope: { level: 'room', site: 'sh', room: 'r1' }, severity: 'critical', category: 'power',
    summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'open', members: [], notes: [], tiers: [], openedAt: 1_000, ...overrides,
  });

  it('keeps the last record of each incident, and turns a pending recovery into a notice at the restart without the marker', () => {
    const records: JournalRecord[] = [
      { t: 'incident', incident: incident({}) },
      { t: 'incident', incident: { ...incident({ id: 'i2', status: 'resolved', resolvedAt: 9_000 }), pending: 'incident_resolved' } },
      { t: 'incident', incident: incident({ status: 'settling', settlingSince: 5_000 }) },
    ];
    const { incidents, pending } = replay(records, RESTART);
    expect(incidents.map((i) => [i.id, i.status])).toEqual([['i1', 'settling'], ['i2', 'resolved']]);
    expect(incidents.some((i) => 'pending' in i)).toBe(false);
    expect(pending).toEqual([{ kind: 'incident_resolved', incident: incidents[1], alerts: [], at: RESTART }]);
    expect((pending[0] as { incident: unknown }).incident).toBe(incidents[1]);
  });
});
