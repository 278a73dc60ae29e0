import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../alerts.js';
import type { AlertView, Notice, StageContext } from '../stage.js';
import { inhibit } from './inhibit.js';

const NOW = 60_000;

const alert = (id: string, overrides: Partial<Alert> = {}): Alert => ({
  id, key: `k-${id}`, rule: 'battery_warm', severity: 'minor', summary: { en: `Alert ${id}`, 'zh-CN': `告警 ${id}` }, source: 'template',
  device: 'ups-1', labels: {}, status: 'firing', flapping: false, value: 35, threshold: '> 32', measurement: 'ups',
  field: 'battery_temperature', firingSince: 20_000, notes: [], tiers: [], ...overrides,
});

const ROOMS: Record<string, string> = { 'ups-1': 'r1', 'ups-2': 'r1', 'crac-1': 'r1', 'crac-9': 'r9' };

function context(active: Alert[]): StageContext & { held: Array<[string, string, string]> } {
  const view: AlertView = {
    active: () => active, silences: () => [], maintenanceWindows: [], routes: [], receivers: ['ops'],
    device: (id) => ({ name: id, site: 'sh', siteName: 'Shanghai', room: ROOMS[id] ?? '-', roomName: 'Room', deviceType: 'ups', category: '-', labels: {}, units: {} }),
  };
  const held: Array<[string, string, string]> = [];
  return { now: NOW, wall: NOW, view, held, hold: (a, kind, reason) => held.push([a.id, kind, reason]) };
}

const notice = (kind: AlertEvent['kind'], a: Alert): Notice => ({ event: { kind, alert: a, at: NOW }, tier: 0 });

describe('inhibit stage', () => {
  it('holds an alert a graver one on the same quantity supersedes, and notes why on the alert', () => {
    const warm = alert('warm');
    const hot = alert('hot', { rule: 'battery_hot', severity: 'major' });
    const ctx = context([hot, warm]);
    expect(inhibit([notice('opened', warm)], ctx)).toEqual([]);
    const reason = 'superseded by battery_hot (major, alert hot)';
    expect(ctx.held).toEqual([['warm', 'inhibited', reason]]);
    expect(warm.notes).toEqual([{ by: 'roomwatch', at: NOW, text: reason }]);
  });

  it('passes the graver alert itself, and one on the same field with other labels', () => {
    const hot = alert('hot', { rule: 'battery_hot', severity: 'major' });
    const otherString = alert('string2', { labels: { string: '2' } });
    const ctx = context([hot, alert('warm'), otherString]);
    const passing = [notice('opened', hot), notice('opened', otherString)];
    expect(inhibit(passing, ctx)).toEqual(passing);
    expect(ctx.held).toEqual([]);
  });

  it('holds what a device says while it does not communicate, but not the comms alert itself', () => {
    const down = alert('down', { rule: 'device_comms_lost', severity: 'major', measurement: 'device_health', field: 'ok' });
    const warm = alert('warm');
    const ctx = context([down, warm]);
    expect(inhibit([notice('opened', warm), notice('opened', down)], ctx)).toEqual([notice('opened', down)]);
    expect(ctx.held).toEqual([['warm', 'inhibited', 'inhibited: ups-1 is not communicating (alert down)']]);
  });

  it('leaves an alert an incident explains to the fold stage, in either order', () => {
    // Before incidents, this stage folded it only when the incident's alert was older (poll order decided).
    const mains = alert('mains', { device: 'ups-2', rule: 'on_battery', severity: 'critical', incident: 'mains_failure', firingSince: 10_000 });
    const before = alert('early', { device: 'crac-1', rule: 'crac_no_power', explainedBy: 'mains_failure', firingSince: 5_000 });
    const after = alert('crac', { device: 'crac-1', rule: 'crac_no_power', explainedBy: 'mains_failure', firingSince: 30_000 });
    const ctx = context([mains, before, after]);
    const passing = [notice('opened', before), notice('opened', after)];
    expect(inhibit(passing, ctx)).toEqual(passing);
    expect(ctx.held).toEqual([]);
  });

  it('passes a device\'s stale data while it does not communicate: the comms incident folds it', () => {
    const down = alert('down', { rule: 'device_comms_lost', incident: 'comms_lost' });
    const stale = alert('stale', { rule: 'device_data_stale', explainedBy: 'comms_lost' });
    const ctx = context([down, stale]);
    expect(inhibit([notice('opened', stale)], ctx)).toEqual([notice('opened', stale)]);
  });

  it('judges openings only: a recovery or an acknowledgement always goes on', () => {
    const warm = alert('warm');
    const ctx = context([alert('hot', { rule: 'battery_hot', severity: 'major' }), warm]);
    const passing = [notice('resolved', warm), notice('acknowledged', warm)];
    expect(inhibit(passing, ctx)).toEqual(passing);
    expect(warm.notes).toEqual([]);
  });
});
