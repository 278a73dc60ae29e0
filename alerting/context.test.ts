import { describe, expect, it } from 'vitest';
import type { Alert } from './alerts.js';
import { ContextReadings, contextPointSet, contextReadings, emptySnapshot, heldIn, recordPoll, type ContextPointSet, type ContextRules, type ContextSnapshot } from './context.js';
import type { AlertRule } from './core/rule.js';
import { comms } from './core/kinds/comms.js';
import type { Reading } from '../common/contracts/reading.js';

const DEVICE_TAGS = { site: 's1', room: 'r1', device: 'ups-1', device_type: 'ups-rfc1628' };
const OWN = new Set(Object.keys(DEVICE_TAGS));
const T = Date.UTC(2026, 10, 21, 2);

function reading(measurement: string, field: string, value: number | string | null, tags: Record<string, string> = {}, time = T): Reading {
  return { measurement, field, value, tags: { ...DEVICE_TAGS, ...tags }, source: 'test', time, ...(typeof value === 'number' && { unit: 'raw-unit' }) };
}

function rule(name: string, context: AlertRule['context']): AlertRule {
  return { name, kind: comms, severity: 'critical', measurement: 'ups', field: 'output_source', params: { downPolls: 3 }, forMs: 0, clearForMs: 0, summary: { en: name, 'zh-CN': name }, source: 'test', context };
}

const onBattery = rule('ups_on_battery', [{ measurement: 'ups', field: 'battery_charge' }, { measurement: 'ups', field: 'battery_runtime_remaining' }]);
const alarms = rule('ups_alarms_present', [{ measurement: 'ups', field: 'active_alarm' }]);
const returnAir = rule('crac_hot', [{ measurement: 'crac', field: 'temperature', tags: { sensor: 'return_air' } }]);
const commsLost = rule('device_comms_lost', [{ measurement: 'device_health', field: 'error' }]);
const bare = rule('ups_battery_hot', undefined);

type Poll = { ok: boolean; readings: Reading[] };

/** The snapshot after these polls, and what it holds of one point. */
function after(named: ContextPointSet, ...polls: Poll[]): ContextSnapshot {
  const snapshot = emptySnapshot(named);
  for (const poll of polls) recordPoll(snapshot, poll, named);
  return snapshot;
}
function held(snapshot: ContextSnapshot, named: ContextPointSet, measurement: string, field: string): Array<number | string | null> {
  const slot = named.slots.get(measurement)?.get(field);
  return slot === undefined ? [] : heldIn(snapshot, slot).map((r) => r.value);
}

describe('contextPointSet', () => {
  it('gives every field some rule names a slot of its own, by measurement, and nothing for rules without context', () => {
    const set = contextPointSet([onBattery, alarms, commsLost, bare, rule('again', [{ measurement: 'ups', field: 'battery_charge' }])])!;
    expect([...set.slots.keys()].sort()).toEqual(['device_health', 'ups']);
    expect([...set.slots.get('ups')!.keys()].sort()).toEqual(['active_alarm', 'battery_charge', 'battery_runtime_remaining']);
    expect(set.size).toBe(4);
    expect(new Set([...set.slots.values()].flatMap((fields) => [...fields.values()]))).toEqual(new Set([0, 1, 2, 3]));
    expect(contextPointSet([bare, rule('x', [])])).toBeUndefined();
  });
});

describe('recordPoll', () => {
  const named = contextPointSet([onBattery, alarms, commsLost])!;

  it('keeps only the named points, every series of each', () => {
    const snap = after(named, { ok: true, readings: [reading('ups', 'battery_charge', 96), reading('ups', 'output_source', 5), reading('ups', 'active_alarm', 'on_battery', { alarm_id: '1' }), reading('ups', 'active_alarm', 'input_bad', { alarm_id: '2' })] });
    expect(held(snap, named, 'ups', 'active_alarm')).toEqual(['on_battery', 'input_bad']);
    expect(held(snap, named, 'ups', 'battery_charge')).toEqual([96]);
    expect(snap.series.map((_, slot) => heldIn(snap, slot)).flat()).toHaveLength(3);
  });

  it('after a poll that answered, a point it did not carry has no value: alarm rows that are gone, the old comms error', () => {
    const failed: Poll = { ok: false, readings: [reading('device_health', 'error', 'Request timed out')] };
    const alarm: Poll = { ok: true, readings: [reading('ups', 'active_alarm', 'on_battery', { alarm_id: '1' })] };
    expect(held(after(named, failed, alarm), named, 'device_health', 'error')).toEqual([]);
    expect(held(after(named, failed, alarm), named, 'ups', 'active_alarm')).toEqual(['on_battery']);
    expect(held(after(named, alarm, { ok: true, readings: [reading('ups', 'battery_charge', 100)] }), named, 'ups', 'active_alarm')).toEqual([]);
  });

  it('after a poll that failed, what it carried replaces those points and the rest stay as last read', () => {
    const snap = after(named, { ok: true, readings: [reading('ups', 'battery_charge', 80), reading('device_health', 'error', 'old')] }, { ok: false, readings: [reading('device_health', 'error', 'Request timed out')] });
    expect(held(snap, named, 'ups', 'battery_charge')).toEqual([80]);
    expect(held(snap, named, 'device_health', 'error')).toEqual(['Request timed out']);
  });

  it('a series list shrinks and grows with the rows of a table from poll to poll', () => {
    const rows = (...names: string[]): Poll => ({ ok: true, readings: names.map((n, i) => reading('ups', 'active_alarm', n, { alarm_id: String(i + 1) })) });
    expect(held(after(named, rows('a', 'b', 'c'), rows('d')), named, 'ups', 'active_alarm')).toEqual(['d']);
    expect(held(after(named, rows('a'), rows('b', 'c')), named, 'ups', 'active_alarm')).toEqual(['b', 'c']);
  });
});

describe('contextReadings', () => {
  it('lists the points in the rule’s order with the series’ own tags, the template’s unit and the reading’s time', () => {
    const named = contextPointSet([onBattery])!;
    const snap = after(named, { ok: true, readings: [reading('ups', 'battery_runtime_remaining', 28, {}, T + 5), reading('ups', 'battery_charge', 96)] });
    expect(contextReadings(onBattery.context!, snap, named, OWN, { 'ups.battery_charge': '%', 'ups.battery_runtime_remaining': 'min' })).toEqual([
      { measurement: 'ups', field: 'battery_charge', value: 96, unit: '%', at: T },
      { measurement: 'ups', field: 'battery_runtime_remaining', value: 28, unit: 'min', at: T + 5 },
    ]);
  });

  it('shows only the series carrying the point’s tags, keeps a reading without a value as null, and falls back to the reading’s unit', () => {
    const named = contextPointSet([returnAir])!;
    const snap = after(named, { ok: true, readings: [reading('crac', 'temperature', 19, { sensor: 'supply_air' }), reading('crac', 'temperature', null, { sensor: 'return_air' })] });
    expect(contextReadings(returnAir.context!, snap, named, OWN, {})).toEqual([{ measurement: 'crac', field: 'temperature', tags: { sensor: 'return_air' }, value: null, at: T }]);
  });

  it('is empty when none of the points was read', () => {
    const named = contextPointSet([onBattery])!;
    expect(contextReadings(onBattery.context!, emptySnapshot(named), named, OWN, {})).toEqual([]);
  });
});

describe('ContextReadings', () => {
  const rulesOf: Record<string, AlertRule[]> = { 'ups-1': [onBattery, alarms, commsLost, bare], 'th-1': [bare] };
  const rules: ContextRules = {
    contextPoints: (device) => contextPointSet(rulesOf[device] ?? []),
    allFor: (device) => rulesOf[device] ?? [],
    deviceTags: () => OWN,
  };
  const device = { id: 'ups-1' } as Parameters<ContextReadings['observe']>[0]['device'];
  const alertOf = (name: string, context?: Alert['context']): Alert => ({ rule: name, device: 'ups-1', ...(context && { context }) }) as Alert;

  it('fills an alert from the latest poll, and refreshes it from a later one', () => {
    const cache = new ContextReadings(rules, () => ({ 'ups.battery_charge': '%' }));
    cache.observe({ device, ok: true, readings: [reading('ups', 'battery_charge', 96), reading('ups', 'battery_runtime_remaining', 28)] });
    const alert = alertOf('ups_on_battery');
    cache.refresh(alert);
    expect(alert.context!.map((c) => [c.field, c.value])).toEqual([['battery_charge', 96], ['battery_runtime_remaining', 28]]);
    cache.observe({ device, ok: true, readings: [reading('ups', 'battery_charge', 71), reading('ups', 'battery_runtime_remaining', 19)] });
    const { refresh } = cache; // handed over as a plain function
    refresh(alert);
    expect(alert.context!.map((c) => [c.field, c.value, c.unit])).toEqual([['battery_charge', 71, '%'], ['battery_runtime_remaining', 19, 'raw-unit']]);
  });

  it('leaves an alert alone whose rule names no context, or whose device was not read since the restart', () => {
    const cache = new ContextReadings(rules, () => ({}));
    const restored = alertOf('ups_on_battery', [{ measurement: 'ups', field: 'battery_charge', value: 50, at: T - 1 }]);
    cache.refresh(restored);
    expect(restored.context).toEqual([{ measurement: 'ups', field: 'battery_charge', value: 50, at: T - 1 }]);
    cache.observe({ device, ok: true, readings: [reading('ups', 'battery_charge', 96)] });
    const hot = alertOf('ups_battery_hot');
    cache.refresh(hot);
    expect(hot.context).toBeUndefined();
  });

  it('keeps nothing for a device whose rules name no context', () => {
    const cache = new ContextReadings(rules, () => ({}));
    cache.observe({ device: { id: 'th-1' } as typeof device, ok: true, readings: [reading('ups', 'battery_charge', 96)] });
    const alert = { ...alertOf('ups_on_battery'), device: 'th-1' };
    cache.refresh(alert);
    expect(alert.context).toBeUndefined();
  });
});
