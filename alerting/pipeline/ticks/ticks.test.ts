import { describe, expect, it } from 'vitest';
import type { Alert } from '../../alerts.js';
import type { Silence } from '../../core/mute.js';
import type { AlertView, Route, TickContext } from '../stage.js';
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
