import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../alerts.js';
import { IncidentBook, type IncidentChange } from './book.js';
import type { Place } from './match.js';
import { IncidentTypes } from './types.js';

const S = 1_000;
const MIN = 60 * S;
// Two rooms of one site, a second site; devices named by where they are.
const PLACES: Record<string, Place> = {
  'ups-1': { site: 'sh', room: 'r1', device: 'ups-1' },
  'ups-2': { site: 'sh', room: 'r1', device: 'ups-2' },
  'crac-1': { site: 'sh', room: 'r1', device: 'crac-1' },
  'crac-2': { site: 'sh', room: 'r2', device: 'crac-2' },
  'crac-9': { site: 'bj', room: 'r1', device: 'crac-9' },
};

function alert(key: string, device: string, firingSince: number, overrides: Partial<Alert> = {}): Alert {
  return {
    id: `id-${key}-${firingSince}`, key, rule: key, severity: 'major', summary: { en: key, 'zh-CN': key }, source: 'test', device, labels: {},
    status: 'firing', flapping: false, value: 1, threshold: '= 1', measurement: 'm', field: 'f', firingSince, notes: [], tiers: [], told: [], ...overrides,
  };
}
const onBattery = (device: string, at: number) => alert(`ups_on_battery|${device}`, device, at, { severity: 'critical', incident: 'mains_failure', explainedBy: 'mains_failure' });
const cracPower = (device: string, at: number, overrides: Partial<Alert> = {}) => alert(`crac_power_loss|${device}`, device, at, { explainedBy: 'mains_failure', ...overrides });

/** An IncidentBook and the alerts it sees, driven as the engine drives it. */
function bed(types = new IncidentTypes()) {
  const book = new IncidentBook({ types, windows: { beforeMs: 2 * MIN }, place: (d) => PLACES[d]! });
  const active: Alert[] = [];
  const open = (a: Alert): IncidentChange[] => {
    active.push(a);
    return book.apply({ kind: 'opened', alert: a, at: a.firingSince } satisfies AlertEvent, active, a.firingSince);
  };
  const resolve = (a: Alert, at: number): IncidentChange[] => {
    active.splice(active.indexOf(a), 1);
    Object.assign(a, { status: 'resolved', resolvedAt: at });
    return book.apply({ kind: 'resolved', alert: a, at }, active, at);
  };
  return { book, open, resolve, active };
}
const kinds = (changes: IncidentChange[]) => changes.map((c) => (c.kind === 'joined' ? `joined ${c.alert.key}${c.reattributed ? ' (reattributed)' : ''}` : c.kind));

describe('IncidentBook', () => {
  it('opens an incident on an opener and folds in an explained alert that opens after it', () => {
    const { book, open } = bed();
    const ups = onBattery('ups-1', 10 * S);
    expect(kinds(open(ups))).toEqual(['opened']);
    const [incident] = book.active();
    expect(incident).toMatchObject({ type: 'mains_failure', scope: { level: 'room', site: 'sh', room: 'r1' }, severity: 'critical', category: 'power', status: 'open', openedAt: 10 * S });
    expect(incident!.id).toMatch(/^[0-9a-f]{10}$/);
    expect(incident!.summary).toEqual({ en: 'mains failure', 'zh-CN': '市电中断' });
    const crac = cracPower('crac-1', 19 * S);
    expect(kinds(open(crac))).toEqual(['joined crac_power_loss|crac-1']);
    expect([ups.incidentId, crac.incidentId]).toEqual([incident!.id, incident!.id]);
    expect(incident!.members.map((m) => [m.key, m.role, m.joinedAt])).toEqual([['ups_on_battery|ups-1', 'opener', 10 * S], ['crac_power_loss|crac-1', 'member', 19 * S]]);
  });

  it('claims an explained alert that opened 0.3 s or 9 s before the opener (explained first, within hold)', () => {
    for (const ahead of [300, 9 * S]) {
      const { book, open } = bed();
      const crac = cracPower('crac-1', 20 * S - ahead);
      expect(open(crac)).toEqual([]);
      expect(crac.incidentId).toBeUndefined();
      expect(kinds(open(onBattery('ups-1', 20 * S)))).toEqual(['opened', 'joined crac_power_loss|crac-1']);
      expect(crac.incidentId).toBe(book.active()[0]!.id);
      expect(book.active()[0]!.members[1]).toEqual({ key: 'crac_power_loss|crac-1', id: crac.id, role: 'member', joinedAt: 20 * S });
    }
  });

  it('marks an explained alert already notified alone (its hold was over) as re-attributed when it joins', () => {
    const { book, open } = bed();
    const crac = cracPower('crac-1', 0, { told: ['duty'] });
    open(crac);
    expect(kinds(open(onBattery('ups-1', 90 * S)))).toEqual(['opened', 'joined crac_power_loss|crac-1 (reattributed)']);
    expect(book.active()[0]!.members[1]!.reattributed).toBe(true);
  });

  it('leaves out an explained alert that opened more than window_before ahead, another room\'s, another site\'s, and one the type does not explain', () => {
    const { book, open } = bed();
    const old = cracPower('crac-1', 0);
    const otherRoom = cracPower('crac-2', 170 * S);
    const otherSite = cracPower('crac-9', 170 * S);
    const unrelated = alert('room_hot|crac-1', 'crac-1', 170 * S);
    [old, otherRoom, otherSite, unrelated].forEach(open);
    expect(kinds(open(onBattery('ups-1', 2 * MIN + 1)))).toEqual(['opened']);
    expect([old, otherRoom, otherSite, unrelated].map((a) => a.incidentId)).toEqual([undefined, undefined, undefined, undefined]);
    // An explained alert of another room opening later does not join either.
    expect(open(cracPower('crac-2', 200 * S, { key: 'crac_unit_off|crac-2' }))).toEqual([]);
    expect(book.active()).toHaveLength(1);
  });

  it('reaches every room of the site for a site-scoped type', () => {
    const types = new IncidentTypes([{ name: 'mains_failure', scope: 'site', category: 'power', summary: { en: 'site mains failure', 'zh-CN': '全站市电中断' } }]);
    const { book, open } = bed(types);
    const otherRoom = cracPower('crac-2', 5 * S);
    open(otherRoom);
    expect(kinds(open(onBattery('ups-1', 10 * S)))).toEqual(['opened', 'joined crac_power_loss|crac-2']);
    expect(book.active()[0]!.scope).toEqual({ level: 'site', site: 'sh' });
    expect(kinds(open(cracPower('crac-9', 11 * S)))).toEqual([]);
  });

  it('joins a second opener of the same type in scope instead of opening a second incident, and takes the gravest severity', () => {
    const { book, open } = bed();
    open(onBattery('ups-1', 10 * S));
    const second = alert('ups_on_battery|ups-2', 'ups-2', 10 * MIN, { incident: 'mains_failure', severity: 'critical' });
    expect(kinds(open(second))).toEqual(['joined ups_on_battery|ups-2']);
    expect(book.active()).toHaveLength(1);
    expect(book.active()[0]!.members.map((m) => m.role)).toEqual(['opener', 'opener']);
  });

  it('lists openers before members, each in joining order', () => {
    const { book, open } = bed();
    open(onBattery('ups-1', 10 * S));
    open(cracPower('crac-1', 11 * S));
    open(onBattery('ups-2', 12 * S));
    expect(book.active()[0]!.members.map((m) => m.key)).toEqual(['ups_on_battery|ups-1', 'ups_on_battery|ups-2', 'crac_power_loss|crac-1']);
  });

  it('settles when the last opener resolves, resolves once settle is over, and keeps it in recent', () => {
    const { book, open, resolve, active } = bed();
    const ups1 = onBattery('ups-1', 10 * S);
    const ups2 = onBattery('ups-2', 12 * S);
    open(ups1);
    open(ups2);
    open(cracPower('crac-1', 13 * S));
    expect(resolve(ups1, 5 * MIN)).toEqual([]);
    expect(kinds(resolve(ups2, 6 * MIN))).toEqual(['settling']);
    const incident = book.active()[0]!;
    expect([incident.status, incident.settlingSince]).toEqual(['settling', 6 * MIN]);
    expect(book.tick(8 * MIN - 1, 2 * MIN, active)).toEqual([]);
    expect(kinds(book.tick(8 * MIN, 2 * MIN, active))).toEqual(['resolved']);
    expect([incident.status, incident.resolvedAt]).toEqual(['resolved', 8 * MIN]);
    expect(book.active()).toEqual([]);
    expect(book.recent()).toEqual([incident]);
    expect(book.get(incident.id)).toBe(incident);
  });

  it('goes on (open again) when an opener fires again while it settles, and takes explained alerts while it settles', () => {
    const { book, open, resolve, active } = bed();
    const ups = onBattery('ups-1', 10 * S);
    open(ups);
    resolve(ups, MIN);
    expect(kinds(open(cracPower('crac-1', MIN + 5 * S)))).toEqual(['joined crac_power_loss|crac-1']);
    open(onBattery('ups-1', 2 * MIN));
    expect(book.active()[0]!.status).toBe('open');
    expect(book.active()[0]!.settlingSince).toBeUndefined();
    expect(book.tick(10 * MIN, 2 * MIN, active)).toEqual([]);
  });

  it('settles an open incident whose openers all went without a resolved event (resolved silently, removed)', () => {
    const { book, open } = bed();
    const ups = onBattery('ups-1', 10 * S);
    open(ups);
    const crac = cracPower('crac-1', 11 * S);
    open(crac);
    expect(book.tick(MIN, 2 * MIN, [ups, crac])).toEqual([]);
    expect(kinds(book.tick(2 * MIN, 2 * MIN, [crac]))).toEqual(['settling']);
    expect(book.active()[0]!.settlingSince).toBe(2 * MIN);
    expect(kinds(book.tick(4 * MIN, 2 * MIN, [crac]))).toEqual(['resolved']);
  });

  it('acknowledges once, and refuses an unknown id', () => {
    const { book, open } = bed();
    open(onBattery('ups-1', 10 * S));
    const { id } = book.active()[0]!;
    expect(book.acknowledge(id, '李工', MIN, '发电机已启动')).toMatchObject({ status: 'acknowledged', ack: { by: '李工', at: MIN, note: '发电机已启动' }, notes: [{ by: '李工', at: MIN, text: '发电机已启动' }] });
    expect(book.acknowledge(id, '王工', MIN)).toEqual({ error: `incident ${id} was already acknowledged by 李工` });
    expect(book.acknowledge('0000000000', '王工', MIN)).toEqual({ error: 'no active incident with id 0000000000' });
  });

  it('opens a device-scoped comms_lost incident that folds the same device\'s stale data, in either order', () => {
    const comms = (device: string, at: number) => alert(`device_comms_lost|${device}`, device, at, { incident: 'comms_lost' });
    const stale = (device: string, at: number) => alert(`device_data_stale|${device}`, device, at, { explainedBy: 'comms_lost' });
    const first = bed();
    first.open(comms('ups-1', 10 * S));
    expect(kinds(first.open(stale('ups-1', 40 * S)))).toEqual(['joined device_data_stale|ups-1']);
    expect(kinds(first.open(stale('ups-2', 40 * S)))).toEqual([]);
    const staleFirst = bed();
    staleFirst.open(stale('ups-1', 10 * S));
    staleFirst.open(stale('ups-2', 10 * S));
    expect(kinds(staleFirst.open(comms('ups-1', 30 * S)))).toEqual(['opened', 'joined device_data_stale|ups-1']);
    expect(staleFirst.book.active()[0]).toMatchObject({ scope: { level: 'device', device: 'ups-1' }, category: 'communication' });
  });

  it('adopts the openers of a journal written before incidents, with what they were told', () => {
    const { book } = bed();
    const ups = onBattery('ups-1', 10 * S);
    Object.assign(ups, { told: ['*'], lastSentAt: 20 * S, tiers: [0] });
    const folded = cracPower('crac-1', 15 * S);
    const changes = book.adopt([ups, folded], 5 * MIN);
    expect(kinds(changes)).toEqual(['opened', 'joined crac_power_loss|crac-1']);
    expect(book.active()[0]).toMatchObject({ openedAt: 10 * S, told: ['*'], lastSentAt: 20 * S, tiers: [0] });
    expect(book.adopt([ups, folded], 6 * MIN)).toEqual([]);
  });
});
