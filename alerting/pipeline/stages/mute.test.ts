import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../alerts.js';
import type { MaintenanceWindow, Silence } from '../../core/mute.js';
import type { AlertView, Notice, StageContext } from '../stage.js';
import { mute, muteReason } from './mute.js';

// Steady time 10 s after start; the wall clock reads 2026-12-02 02:00:00 UTC (10:00 in Shanghai, a Wednesday).
const NOW = 10_000;
const WALL = Date.UTC(2026, 11, 2, 2, 0, 0);

const alert = (overrides: Partial<Alert> = {}): Alert => ({
  id: 'a1', key: 'k1', rule: 'room_hot', severity: 'major', summary: { en: 'Room hot', 'zh-CN': '机房过热' }, source: 'config',
  device: 'crac-1', labels: {}, status: 'firing', flapping: false, value: 31, threshold: '> 30', measurement: 'crac',
  field: 'return_temperature', firingSince: 5_000, notes: [], tiers: [], ...overrides,
});

function context(silences: Silence[], maintenanceWindows: MaintenanceWindow[] = []): StageContext & { held: Array<[string, string, string]> } {
  const view: AlertView = {
    active: () => [], silences: () => silences, maintenanceWindows, routes: [], receivers: ['ops'],
    device: () => ({ name: 'CRAC 1', site: 'sh', siteName: 'Shanghai', room: 'r1', roomName: 'Room 1', deviceType: 'crac', category: '-', labels: {}, units: {} }),
  };
  const held: Array<[string, string, string]> = [];
  return { now: NOW, wall: WALL, view, held, hold: (a, kind, reason) => held.push([a.id, kind, reason]) };
}

const notice = (kind: AlertEvent['kind'], a: Alert, at = NOW): Notice => ({ event: { kind, alert: a, at }, tier: 0 });
const silence = (matchers: Record<string, string>, startsAt: number, endsAt: number): Silence => ({ id: 's1', matchers, startsAt, endsAt, author: 'li', reason: 'CRAC service' });

describe('mute stage', () => {
  it('holds a notice a silence matches (on the site label from the directory), and the alert keeps why', () => {
    const ctx = context([silence({ site: 'sh', rule: 'room_hot' }, WALL - 60_000, WALL + 60_000)]);
    const a = alert();
    expect(mute([notice('opened', a)], ctx)).toEqual([]);
    expect(a.muted).toMatch(/^silenced by li until .*: CRAC service \(silence s1\)$/);
    expect(ctx.held).toEqual([['a1', 'muted', a.muted]]);
  });

  it('passes notices the silence does not match', () => {
    const ctx = context([silence({ site: 'bj' }, WALL - 60_000, WALL + 60_000)]);
    const passing = notice('opened', alert());
    expect(mute([passing], ctx)).toEqual([passing]);
    expect(ctx.held).toEqual([]);
  });

  it('judges by the wall time of the event: a silence starting after the event does not mute it', () => {
    const ctx = context([silence({ site: 'sh' }, WALL - 2_000, WALL + 60_000)]);
    // The event happened 5 s of steady time ago, so 5 s of wall time before WALL: before the silence began.
    const early = notice('opened', alert(), NOW - 5_000);
    expect(mute([early], ctx)).toEqual([early]);
    expect(muteReason(alert(), NOW, ctx)).toMatch(/^silenced by li/);
  });

  it('holds the recovery of an alert that was muted, even once the silence is over, and leaves its reason as it was', () => {
    const ctx = context([]);
    const a = alert({ status: 'resolved', muted: 'silenced earlier' });
    expect(mute([notice('resolved', a)], ctx)).toEqual([]);
    expect(ctx.held).toEqual([['a1', 'muted', 'silenced earlier']]);
    expect(a.muted).toBe('silenced earlier');
  });

  it('holds a notice during a maintenance window in the window\'s time zone', () => {
    const window: MaintenanceWindow = { name: 'weekly', matchers: { device: 'crac-1' }, weekdays: ['wed'], startMinute: 9 * 60, endMinute: 11 * 60, timeZone: 'Asia/Shanghai' };
    const ctx = context([], [window]);
    expect(mute([notice('opened', alert())], ctx)).toEqual([]);
    expect(ctx.held.map(([, kind]) => kind)).toEqual(['muted']);
  });
});
