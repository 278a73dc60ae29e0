import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../alerts.js';
import type { Incident } from '../incidents/incident.js';
import type { OutboxEntry } from './records.js';
import { replay } from './replay.js';
import { historyFile, liveRecords } from './rotation.js';

const WALL = Date.UTC(2026, 11, 2, 2, 40, 5, 123);

function alert(key: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id: `id-${key}`, key, rule: 'room_hot', severity: 'critical', summary: { en: 'Room hot', 'zh-CN': '机房过热' },
    source: 'config', device: 'crac-1', labels: {}, status: 'firing', flapping: false, value: 32, threshold: '> 30',
    measurement: 'crac', field: 'return_temperature', firingSince: 1_000, notes: [], tiers: [0], ...overrides,
  };
}

const entry: OutboxEntry = { id: 'ops-1', receiver: 'ops', message: { type: 'json', body: {} }, createdAt: 2_000, attempts: 1, nextAt: 7_000 };

describe('liveRecords', () => {
  it('carries active alerts, silences still in force and the outbox; a waiting notice keeps its marker', () => {
    const firing = alert('a');
    const quiet = alert('b');
    const records = liveRecords(
      {
        active: [firing, quiet],
        waiting: [{ kind: 'opened', alert: firing, at: 5_000 }],
        silences: [
          { id: 'over', matchers: {}, startsAt: 0, endsAt: WALL, author: 'li', reason: 'done' },
          { id: 'on', matchers: {}, startsAt: 0, endsAt: WALL + 1, author: 'li', reason: 'works' },
        ],
        outbox: [entry],
        incidents: [],
        incidentAlerts: [],
      },
      WALL,
    );
    expect(records).toEqual([
      { t: 'alert', alert: { ...firing, pending: 'opened' } },
      { t: 'alert', alert: { ...quiet, pending: undefined } },
      { t: 'silence', silence: { id: 'on', matchers: {}, startsAt: 0, endsAt: WALL + 1, author: 'li', reason: 'works' } },
      { t: 'out', entry },
    ]);
  });

  it('keeps a resolved alert whose recovery notice is still waiting, and replays to the same state', () => {
    // A recovery waits only for receivers told of the opening.
    const recovered = alert('a', { status: 'resolved', resolvedAt: 6_000, told: ['ops'] });
    const records = liveRecords({ active: [], waiting: [{ kind: 'resolved', alert: recovered, at: 6_000 }], silences: [], outbox: [], incidents: [], incidentAlerts: [] }, WALL);
    expect(records).toEqual([{ t: 'alert', alert: { ...recovered, pending: 'resolved' } }]);
    const restored = replay(records, 9_000);
    expect(restored.pending.map((e) => [e.kind, (e as AlertEvent).alert])).toEqual([['resolved', recovered]]);
    expect(restored.series).toEqual([]);
  });

  it('carries a latched alert, latch and all, so a rotation does not resolve it', () => {
    const latched = alert('leak', { rule: 'water_leak', value: 0, latchedAt: 8_000, told: [] });
    const records = liveRecords({ active: [latched], waiting: [], silences: [], outbox: [], incidents: [], incidentAlerts: [] }, WALL);
    const restored = replay(records, 9_000);
    expect(restored.alerts).toEqual([latched]);
    expect(restored.series.map((s) => s.phase)).toEqual(['ok']);
  });
});

describe('historyFile', () => {
  it('names the archive by the wall time, without characters a file name cannot hold', () => {
    expect(historyFile('/var/lib/roomwatch', WALL)).toBe(join('/var/lib/roomwatch', 'history', 'journal-2026-12-02T02-40-05-123Z.ndjson'));
  });
});

describe('liveRecords with incidents', () => {
  const incident = (id: string, overrides: Partial<Incident> = {}): Incident => ({
    id, type: 'mains_failure', scope: { level: 'room', site: 'sh', room: 'r1' }, severity: 'critical', category: 'power',
    summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'open', openedAt: 1_000, members: [], notes: [], tiers: [0], told: ['ops'], ...overrides,
  });

  it('carries open and settling incidents with their resolved alerts, and a resolved one whose recovery waits; replays to the same state', () => {
    const open = incident('i-open', { members: [{ key: 'ups', id: 'id-ups', role: 'opener', joinedAt: 1_000, listed: true }] });
    const settling = incident('i-settling', { status: 'settling', settlingSince: 4_000 });
    const done = incident('i-done', { status: 'resolved', resolvedAt: 6_000 });
    const ups = alert('ups', { incidentId: 'i-open', told: ['ops'] });
    const crac = alert('crac', { status: 'resolved', resolvedAt: 3_000, incidentId: 'i-open', told: ['ops'] });
    const records = liveRecords(
      { active: [ups], waiting: [{ kind: 'incident_resolved', incident: done, alerts: [], at: 6_000 }], silences: [], outbox: [], incidents: [open, settling], incidentAlerts: [crac] },
      WALL,
    );
    expect(records).toEqual([
      { t: 'alert', alert: { ...ups, pending: undefined } },
      { t: 'alert', alert: { ...crac, pending: undefined } },
      { t: 'incident', incident: open },
      { t: 'incident', incident: settling },
      { t: 'incident', incident: { ...done, pending: 'incident_resolved' } },
    ]);
    const restored = replay(records, 9_000);
    expect(restored.incidents).toEqual([open, settling, done]);
    expect(restored.alerts.map((a) => [a.key, a.status, a.incidentId])).toEqual([['ups', 'firing', 'i-open'], ['crac', 'resolved', 'i-open']]);
    expect(restored.pending).toEqual([{ kind: 'incident_resolved', incident: done, alerts: [], at: 9_000 }]);
  });
});

describe('liveRecords with an incident opening still gathering', () => {
  it('gives its alerts their opening marker, so a restart brings the incident message back', () => {
    const ups = alert('ups', { incidentId: 'i1', told: [] });
    const crac = alert('crac', { incidentId: 'i1', told: [] });
    const incident: Incident = {
      id: 'i1', type: 'mains_failure', scope: { level: 'room', site: 'sh', room: 'r1' }, severity: 'critical', category: 'power',
      summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'open', openedAt: 1_000, notes: [], tiers: [],
      members: [{ key: 'ups', id: 'id-ups', role: 'opener', joinedAt: 1_000 }, { key: 'crac', id: 'id-crac', role: 'member', joinedAt: 1_000 }],
    };
    const records = liveRecords({ active: [ups, crac], waiting: [{ kind: 'incident_opened', incident, alerts: [ups, crac], at: 1_000 }], silences: [], outbox: [], incidents: [incident], incidentAlerts: [] }, WALL);
    const restored = replay(records, 9_000);
    expect(restored.pending.map((e) => [e.kind, (e as AlertEvent).alert.key])).toEqual([['opened', 'ups'], ['opened', 'crac']]);
    expect(restored.incidents).toEqual([incident]);
  });
});
