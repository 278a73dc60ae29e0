import { describe, expect, it } from 'vitest';
import type { Alert } from '../../alerts.js';
import type { Silence } from '../../core/mute.js';
import type { Incident } from '../../incidents/incident.js';
import type { AlertView, IncidentTickContext, IncidentView, Route, TickContext } from '../stage.js';
import { escalateIncident, repeatIncident } from './incident.js';
import { escalate } from './escalate.js';
import { repeat } from './repeat.js';
import { unmute } from './unmute.js';

const MIN = 60_000;
const NOW = 40 * MIN;

const alert = (overrides: Partial<Alert> = {}): Alert => ({
  id: 'a1', key: 'k1', rule: 'inlet_temperature_critical', severity: 'critical', summary: { en: 'Hot', 'zh-CN': '过热' }, source: 'test',
  device: 'th-2', labels: {}, status: 'firing', flapping: false, value: 33, threshold: '> 32', measurement: 'environment',
  field: 'temperature', firingSince: 0, notes: [], tiers: [], ...overrides,
});

function context(routes: Route[] = [], silences: Silence[] = []): TickContext & { saved: string[] } {
  const view: AlertView = {
    active: () => [], silences: () => silences, maintenanceWindows: [], routes, receivers: ['duty'],
    device: (id) => ({ name: id, site: 's1', siteName: 'Site', room: 'r2', roomName: 'Room', deviceType: 'th', category: '-', labels: {}, units: {} }),
  };
  const saved: string[] = [];
  return { now: NOW, wall: NOW, view, hold: () => undefined, repeatIntervalMs: 30 * MIN, saved, save: (a) => saved.push(`${a.id}:${a.tiers.join('/')}`) };
}

describe('unmute tick', () => {
  it('tells people about a muted alert once its silence is over, and no later tick looks at it this time', () => {
    const a = alert({ muted: 'silenced by li' });
    expect(unmute(a, context())).toEqual({ notices: [{ event: { kind: 'opened', alert: a, at: NOW }, tier: 0 }], last: true });
    expect(a.muted).toBeUndefined();
  });

  it('leaves an alert still silenced as it is, and stops the later ticks for it and for an acknowledged one', () => {
    const silence: Silence = { id: 's1', matchers: { device: 'th-2' }, startsAt: 0, endsAt: NOW + MIN, author: 'li', reason: 'work' };
    const muted = alert({ muted: 'silenced by li' });
    expect(unmute(muted, context([], [silence]))).toEqual({ notices: [], last: true });
    expect(muted.muted).toBe('silenced by li');
    expect(unmute(alert({ ack: { by: 'li', at: MIN } }), context())).toEqual({ notices: [], last: true });
    expect(unmute(alert(), context())).toEqual({ notices: [] });
  });
});

describe('escalate tick', () => {
  const routes: Route[] = [{ receivers: ['duty'], escalateAfterMs: 15 * MIN, escalateTo: ['boss'] }];

  it('raises tier 1 once escalate_after has passed, journaling the tier first', () => {
    const a = alert();
    const ctx = context(routes);
    expect(escalate(a, ctx).notices).toEqual([{ event: { kind: 'opened', alert: a, at: NOW }, tier: 1 }]);
    expect(ctx.saved).toEqual(['a1:1']);
    expect(escalate(a, ctx).notices).toEqual([]);
  });

  it('waits for escalate_after, and does nothing where no route escalates', () => {
    expect(escalate(alert({ firingSince: NOW - 15 * MIN + 1 }), context(routes)).notices).toEqual([]);
    expect(escalate(alert(), context([{ receivers: ['duty'] }])).notices).toEqual([]);
  });
});

describe('repeat tick', () => {
  it('sends a critical alert again every repeat_interval after the last first-tier send', () => {
    const a = alert({ lastSentAt: NOW - 30 * MIN });
    expect(repeat(a, context()).notices).toEqual([{ event: { kind: 'opened', alert: a, at: NOW }, tier: 0 }]);
    expect(a.lastSentAt).toBe(NOW);
    expect(repeat(a, context()).notices).toEqual([]);
  });

  it('does not repeat before the interval, nor an alert that is not critical', () => {
    expect(repeat(alert({ lastSentAt: NOW - 30 * MIN + 1 }), context()).notices).toEqual([]);
    expect(repeat(alert({ severity: 'major' }), context()).notices).toEqual([]);
  });
});

describe('incident ticks', () => {
  const incident = (overrides: Partial<Incident> = {}): Incident => ({
    id: 'i1', type: 'mains_failure', scope: { level: 'room', site: 's1', room: 'r2' }, severity: 'critical', category: 'power',
    summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'open', openedAt: 0, notes: [], tiers: [], told: ['duty'], lastSentAt: 0,
    members: [{ key: 'k1', id: 'a1', role: 'opener', joinedAt: 0 }], ...overrides,
  });
  function incidentContext(routes: Route[] = []): IncidentTickContext & { saved: string[] } {
    const base = context(routes);
    const view: IncidentView = { get: () => undefined, alertsOf: () => [alert()], holdMs: () => 0 };
    const saved: string[] = [];
    return { ...base, view: { ...base.view, incidents: view }, saved, save: (i) => saved.push(`${i.id}:${i.tiers.join('/')}`) };
  }
  const routes: Route[] = [{ receivers: ['duty'], escalateAfterMs: 15 * MIN, escalateTo: ['boss'] }];

  it('escalates an incident nobody acknowledged once, as one notice of the incident, journaling the tier first', () => {
    const i = incident();
    const ctx = incidentContext(routes);
    expect(escalateIncident(i, ctx).notices).toEqual([{ event: { kind: 'incident_opened', incident: i, alerts: [alert()], at: NOW }, tier: 1 }]);
    expect(ctx.saved).toEqual(['i1:1']);
    expect(escalateIncident(i, ctx).notices).toEqual([]);
  });

  it('neither escalates nor repeats an incident acknowledged, settling, or never told', () => {
    for (const i of [incident({ ack: { by: 'li', at: 1 }, status: 'acknowledged' }), incident({ status: 'settling', settlingSince: 1 }), incident({ told: [] })]) {
      expect(escalateIncident(i, incidentContext(routes)).notices).toEqual([]);
      expect(repeatIncident(i, incidentContext(routes)).notices).toEqual([]);
    }
  });

  it('repeats a critical incident every repeat_interval after its last first-tier send', () => {
    const i = incident({ lastSentAt: NOW - 30 * MIN });
    expect(repeatIncident(i, incidentContext()).notices.map((n) => [n.event.kind, n.tier])).toEqual([['incident_opened', 0]]);
    expect(i.lastSentAt).toBe(NOW);
    expect(repeatIncident(i, incidentContext()).notices).toEqual([]);
    expect(repeatIncident(incident({ severity: 'major' }), incidentContext()).notices).toEqual([]);
  });
});
