import { describe, expect, it } from 'vitest';
import type { EventListRow } from '../reports/faults/store.js';
import { testAlert } from '../test/helpers/api-alerts.js';
import { alertTimeline, escalationOf } from './timeline.js';

const T0 = Date.parse('2026-12-01T08:00:00Z');
const row = (event: string, time: number, extra: Partial<EventListRow> = {}) => ({ time, event, alert_id: 'a1', ack_by: null, reason: null, ...extra }) as unknown as EventListRow;

describe('alertTimeline', () => {
  it('skips the replay marker "*" among those told, and escalation when the alert never reached tier 1', () => {
    const alert = testAlert({ id: 'a1', device: 'd', firingSince: T0, lastSentAt: T0 + 5000, told: ['*', 'duty'], tiers: [0] });
    expect(alertTimeline(alert, [], { afterMs: 60_000, to: ['boss'] })).toEqual([{ at: T0, event: 'opened' }, { at: T0 + 5000, event: 'notified', receiver: 'duty' }]);
  });

  it("takes only flapping from a held alert's rows, and everything from the rows of one it no longer holds", () => {
    const rows = [row('opened', T0), row('flapping', T0 + 1000), row('flapping', T0 + 9000), row('acknowledged', T0 + 2000, { ack_by: '张工' }), row('resolved', T0 + 3000, { reason: 'removed' })];
    const held = testAlert({ id: 'a1', device: 'd', firingSince: T0 });
    expect(alertTimeline(held, rows).map((e) => `${e.event}@${e.at - T0}`)).toEqual(['opened@0', 'flapping@1000', 'flapping@9000']);
    expect(alertTimeline(undefined, rows)).toEqual([
      { at: T0, event: 'opened' },
      { at: T0 + 1000, event: 'flapping' },
      { at: T0 + 2000, event: 'acknowledged', by: '张工' },
      { at: T0 + 3000, event: 'resolved', text: 'removed' },
      { at: T0 + 9000, event: 'flapping' },
    ]);
  });
});

describe('escalationOf', () => {
  const device = () => ({ name: 'd', site: 's', siteName: 's', room: 'r', roomName: 'r', deviceType: 'ups', category: 'ups', labels: {}, units: {} });
  it('takes the soonest escalate_after of the matching routes and every escalate_to', () => {
    const routes = [
      { severities: ['critical'], receivers: ['duty'], escalateAfterMs: 900_000, escalateTo: ['boss'] },
      { receivers: ['noc'], escalateAfterMs: 600_000, escalateTo: ['night'] },
      { severities: ['minor'], receivers: ['mail'], escalateAfterMs: 60_000, escalateTo: ['nobody'] },
    ];
    expect(escalationOf(testAlert({ id: 'a1', device: 'd', severity: 'critical' }), { routes, receivers: ['duty', 'noc', 'mail'], device })).toEqual({ afterMs: 600_000, to: ['boss', 'night'] });
    expect(escalationOf(testAlert({ id: 'a1', device: 'd', severity: 'major' }), { routes: [routes[0]!], receivers: ['duty'], device })).toBeUndefined();
  });
});
