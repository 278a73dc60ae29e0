import { describe, expect, it } from 'vitest';
import type { Alert } from '../../alerts.js';
import { NOTIFY_STAGES, runStages } from '../compose.js';
import type { AlertView, Notice, Route, StageContext } from '../stage.js';
import { route, routesFor } from './route.js';

const alert = (overrides: Partial<Alert> = {}): Alert => ({
  id: 'a1', key: 'k1', rule: 'water_leak', severity: 'critical', summary: { en: 'Water leak', 'zh-CN': '漏水' }, source: 'template',
  device: 'leak-1', labels: {}, status: 'firing', flapping: false, value: 1, threshold: '= 1', measurement: 'leak',
  field: 'detected', firingSince: 1_000, notes: [], tiers: [], ...overrides,
});

function context(routes: Route[], receivers = ['mail', 'hook', 'pager']): StageContext {
  const view: AlertView = {
    active: () => [], silences: () => [], maintenanceWindows: [], routes, receivers,
    device: (id) => ({ name: id, site: 'sh', siteName: 'Shanghai', room: 'r1', roomName: 'Room 1', deviceType: 'leak-sensor', category: '-', labels: {}, units: {} }),
  };
  return { now: 5_000, wall: 5_000, view, hold: () => undefined };
}

const notice = (a: Alert, tier = 0): Notice => ({ event: { kind: 'opened', alert: a, at: 5_000 }, tier });
const resolved = (a: Alert): Notice => ({ event: { kind: 'resolved', alert: { ...a, status: 'resolved', resolvedAt: 5_000 }, at: 5_000 }, tier: 0 });

describe('route stage', () => {
  it('sends to every receiver when no routes are configured', () => {
    const n = notice(alert());
    expect(route([n], context([])).map((r) => r.receiver)).toEqual(['mail', 'hook', 'pager']);
  });

  it('sends to the receivers of the routes that match severity, site, room, device and type, each once', () => {
    const routes: Route[] = [
      { severities: ['critical'], receivers: ['mail', 'hook'] },
      { match: { site: 'sh', room: 'r1', device: 'leak-1', device_type: 'leak-sensor' }, receivers: ['hook', 'pager'] },
      { severities: ['warning'], receivers: ['other'] },
      { match: { room: 'r2' }, receivers: ['other'] },
    ];
    const n = notice(alert());
    expect(route([n], context(routes))).toEqual([{ ...n, receiver: 'mail' }, { ...n, receiver: 'hook' }, { ...n, receiver: 'pager' }]);
    expect(routesFor(alert(), context(routes).view)).toEqual(routes.slice(0, 2));
  });

  it('sends an escalation (tier 1) to the matching routes\' escalate_to only', () => {
    const routes: Route[] = [
      { receivers: ['mail'], escalateAfterMs: 600_000, escalateTo: ['pager'] },
      { receivers: ['hook'] },
    ];
    expect(route([notice(alert(), 1)], context(routes)).map((r) => [r.receiver, r.tier])).toEqual([['pager', 1]]);
  });

  it('leaves nothing when no route matches', () => {
    expect(route([notice(alert({ severity: 'minor' }))], context([{ severities: ['critical'], receivers: ['mail'] }]))).toEqual([]);
  });
});

describe('route stage, recoveries', () => {
  it('sends the recovery of an alert removed from configuration to those told of it that are still receivers, whatever the routes match', () => {
    // Its device is gone: the routes' site and room matches cannot place it any more.
    const gone = alert({ told: ['hook', 'retired'], resolution: { reason: 'removed' } });
    expect(route([resolved(gone)], context([{ match: { room: 'r9' }, receivers: ['mail'] }])).map((r) => r.receiver)).toEqual(['hook']);
    expect(route([resolved(alert({ told: [], resolution: { reason: 'removed' } }))], context([]))).toEqual([]);
  });

  it('sends a recovery only to the receivers told of the opening', () => {
    expect(route([resolved(alert({ told: ['hook'] }))], context([])).map((r) => r.receiver)).toEqual(['hook']);
    // told, but no longer routed to (the config changed): the routes still have the last word
    expect(route([resolved(alert({ told: ['hook', 'gone'] }))], context([{ receivers: ['mail', 'hook'] }])).map((r) => r.receiver)).toEqual(['hook']);
  });

  it('sends no recovery of an alert whose opening was never sent (resolved within group_wait, or held all its life)', () => {
    expect(route([resolved(alert({ told: [] }))], context([]))).toEqual([]);
    expect(route([resolved(alert())], context([]))).toEqual([]);
  });

  it('leaves it to the routes for an alert a journal older than `told` says was sent', () => {
    expect(route([resolved(alert({ told: ['*'] }))], context([])).map((r) => r.receiver)).toEqual(['mail', 'hook', 'pager']);
  });

  it('routes openings as before, whoever was told', () => {
    expect(route([notice(alert({ told: ['hook'] }))], context([])).map((r) => r.receiver)).toEqual(['mail', 'hook', 'pager']);
  });
});

describe('the composed stages', () => {
  it('let no recovery of an alert silenced or inhibited all its life through', () => {
    const silence = { id: 's1', matchers: { device: 'leak-1' }, startsAt: 0, endsAt: 10_000, author: 'li', reason: 'test' };
    const base = context([]);
    const silenced: StageContext = { ...base, view: { ...base.view, silences: () => [silence] } };
    const muted = alert({ told: [] });
    expect(runStages(NOTIFY_STAGES, [notice(muted)], silenced)).toEqual([]);
    expect(runStages(NOTIFY_STAGES, [resolved(muted)], silenced)).toEqual([]);
    // Inhibition judges openings only: the recovery is stopped by nobody having been told.
    const down = alert({ id: 'c1', key: 'k-comms', rule: 'device_comms_lost', told: ['mail'] });
    const inhibiting: StageContext = { ...base, view: { ...base.view, active: () => [down] } };
    const explained = alert({ told: [] });
    expect(runStages(NOTIFY_STAGES, [notice(explained)], inhibiting)).toEqual([]);
    expect(runStages(NOTIFY_STAGES, [resolved(explained)], inhibiting)).toEqual([]);
  });


  it('run mute, inhibit and route in order, and stop asking once a notice is held', () => {
    const held: string[] = [];
    const silence = { id: 's1', matchers: { device: 'leak-1' }, startsAt: 0, endsAt: 10_000, author: 'li', reason: 'test' };
    const base = context([]);
    const ctx: StageContext = { ...base, view: { ...base.view, silences: () => [silence] }, hold: (a, kind) => held.push(`${a.id}:${kind}`) };
    expect(runStages(NOTIFY_STAGES, [notice(alert())], ctx)).toEqual([]);
    expect(held).toEqual(['a1:muted']);
    expect(runStages(NOTIFY_STAGES, [notice(alert({ device: 'leak-2' }))], ctx).map((r) => r.receiver)).toEqual(['mail', 'hook', 'pager']);
  });
});
