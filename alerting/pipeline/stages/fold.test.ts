import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../alerts.js';
import type { Incident } from '../../incidents/incident.js';
import type { AlertView, IncidentView, Notice, StageContext } from '../stage.js';
import { fold, incidentAlerts } from './fold.js';

const S = 1_000;
const alert = (id: string, overrides: Partial<Alert> = {}): Alert => ({
  id, key: `k-${id}`, rule: id, severity: 'major', summary: { en: id, 'zh-CN': id }, source: 'test', device: 'crac-1', labels: {},
  status: 'firing', flapping: false, value: 1, threshold: '= 1', measurement: 'crac', field: 'f', firingSince: 10 * S, notes: [], tiers: [], told: [], ...overrides,
});
const incident = (overrides: Partial<Incident> = {}): Incident => ({
  id: 'i1', type: 'mains_failure', scope: { level: 'room', site: 'sh', room: 'r1' }, severity: 'critical', category: 'power',
  summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'open', openedAt: 10 * S, notes: [], tiers: [],
  members: [{ key: 'k-ups', id: 'ups', role: 'opener', joinedAt: 10 * S }, { key: 'k-crac', id: 'crac', role: 'member', joinedAt: 10 * S }], ...overrides,
});

function context(incidents: Incident[], alerts: Alert[], holdMs = 20 * S): StageContext {
  const view: IncidentView = { get: (id) => incidents.find((i) => i.id === id), alertsOf: (i) => i.members.flatMap((m) => alerts.filter((a) => a.id === m.id)), holdMs: () => holdMs };
  const base: AlertView = {
    active: () => alerts, silences: () => [], maintenanceWindows: [], routes: [], receivers: ['duty'], incidents: view,
    device: (id) => ({ name: id, site: 'sh', siteName: 'Site', room: 'r1', roomName: 'Room', deviceType: 'x', category: '-', labels: {}, units: {} }),
  };
  return { now: 12 * S, wall: 12 * S, view: base, hold: () => undefined };
}
const notice = (kind: AlertEvent['kind'], a: Alert, tier = 0): Notice => ({ event: { kind, alert: a, at: 12 * S }, tier });

describe('fold stage', () => {
  it('turns the opening of an alert in an incident into the incident\'s opening, listing its active alerts', () => {
    const ups = alert('ups', { incidentId: 'i1', device: 'ups-1' });
    const crac = alert('crac', { incidentId: 'i1' });
    const i = incident();
    expect(fold([notice('opened', crac)], context([i], [ups, crac]))).toEqual([{ event: { kind: 'incident_opened', incident: i, alerts: [ups, crac], at: 12 * S }, tier: 0 }]);
  });

  it('drops a member\'s opening once the incident\'s message went out, and every member\'s recovery or flapping', () => {
    const crac = alert('crac', { incidentId: 'i1', told: ['duty'] });
    const told = context([incident({ told: ['duty'] })], [crac]);
    expect(fold([notice('opened', crac)], told)).toEqual([]);
    const open = context([incident()], [crac]);
    expect(fold([notice('resolved', { ...crac, status: 'resolved' }), notice('flapping', crac)], open)).toEqual([]);
  });

  it('makes an explained alert with no incident wait hold from its start, and leaves others and escalations as they are', () => {
    const crac = alert('crac', { explainedBy: 'mains_failure' });
    const hot = alert('hot');
    const ctx = context([], [crac, hot]);
    expect(fold([notice('opened', crac), notice('opened', hot), notice('opened', crac, 1), notice('resolved', crac)], ctx)).toEqual([
      { ...notice('opened', crac), notBefore: 30 * S },
      notice('opened', hot),
      notice('opened', crac, 1),
      notice('resolved', crac),
    ]);
    expect(fold([notice('opened', crac)], context([], [crac], 0))).toEqual([notice('opened', crac)]);
  });

  it('after the incident resolved, lets an alert still active be told alone again (its escalation) but keeps its recovery silent', () => {
    const crac = alert('crac', { incidentId: 'i1', told: ['duty'] });
    const ctx = context([incident({ status: 'resolved', resolvedAt: 20 * S, told: ['duty'] })], [crac]);
    expect(fold([notice('opened', crac, 1)], ctx)).toEqual([notice('opened', crac, 1)]);
    expect(fold([notice('resolved', crac)], ctx)).toEqual([]);
  });

  it('passes incidents\' own notices on, with their alerts as they are now (one restored from the journal has none)', () => {
    const ups = alert('ups', { incidentId: 'i1', device: 'ups-1' });
    const i = incident({ told: ['duty'], lastSentAt: 5 * S });
    const own: Notice = { event: { kind: 'incident_resolved', incident: i, alerts: [], at: 12 * S }, tier: 0 };
    expect(fold([own], context([i], [ups]))).toEqual([{ ...own, event: { ...own.event, alerts: [ups] } }]);
  });
});

describe('incidentAlerts', () => {
  it('lists at the recovery what a message named and what joined after the last opening message, not an alert nobody heard of', () => {
    const i = incident({
      lastSentAt: 20 * S,
      members: [
        { key: 'k-ups', id: 'ups', role: 'opener', joinedAt: 10 * S, listed: true },
        { key: 'k-gone', id: 'gone', role: 'member', joinedAt: 12 * S },
        { key: 'k-crac', id: 'crac', role: 'member', joinedAt: 15 * S, listed: true },
        { key: 'k-late', id: 'late', role: 'member', joinedAt: 30 * S },
      ],
    });
    const alerts = ['ups', 'gone', 'crac', 'late'].map((id) => alert(id, { status: id === 'crac' ? 'firing' : 'resolved' }));
    const view = context([i], alerts).view.incidents!;
    expect(incidentAlerts('incident_resolved', i, view).map((a) => a.id)).toEqual(['ups', 'crac', 'late']);
    expect(incidentAlerts('incident_opened', i, view).map((a) => a.id)).toEqual(['crac']);
  });
});
