import { describe, expect, it } from 'vitest';
import type { Alert } from './alerts.js';
import { ContextReadings, contextPointSet, contextReadings, nextSnapshot, type ContextRules } from './context.js';
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

describe('contextPointSet', () => {
  it('gathers the fields every rule names, by measurement, and nothing for rules without context', () => {
    const set = contextPointSet([onBattery, alarms, commsLost, bare])!;
    expect([...set.keys()].sort()).toEqual(['device_health', 'ups']);
    expect([...set.get('ups')!].sort()).toEqual(['active_alarm', 'battery_charge', 'battery_runtime_remaining']);
    expect(contextPointSet([bare, rule('x', [])])).toBeUndefined();
  });
});

describe('nextSnapshot', () => {
  const named = contextPointSet([onBattery, alarms, commsLost])!;

  it('keeps only the named points, every series of each', () => {
    const snap = nextSnapshot(undefined, { ok: true, readings: [reading('ups', 'battery_charge', 96), reading('ups', 'output_source', 5), reading('ups', 'active_alarm', 'on_battery', { alarm_id: '1' }), reading('ups', 'active_alarm', 'input_bad', { alarm_id: '2' })] }, named);
    expect([...snap.keys()].map((k) => k.replace('\u0000', '.')).sort()).toEqual(['ups.active_alarm', 'ups.battery_charge']);
    expect(snap.get('ups\u0000active_alarm')!.map((r) => r.value)).toEqual(['on_battery', 'input_bad']);
  });

  it('after a poll that answered, a point it did not carry has no value: alarm rows that are gone, the old comms error', () => {
    const failed = nextSnapshot(undefined, { ok: false, readings: [reading('device_health', 'error', 'Request timed out')] }, named);
    const before = nextSnapshot(failed, { ok: true, readings: [reading('ups', 'active_alarm', 'on_battery', { alarm_id: '1' })] }, named);
    expect(before.has('device_health\u0000error')).toBe(false);
    const after = nextSnapshot(before, { ok: true, readings: [reading('ups', 'battery_charge', 100)] }, named);
    expect(after.has('ups\u0000active_alarm')).toBe(false);
  });

  it('after a poll that failed, what it carried replaces those points and the rest stay as last read', () => {
    const answered = nextSnapshot(undefined, { ok: true, readings: [reading('ups', 'battery_charge', 80)] }, named);
    const failed = nextSnapshot(answered, { ok: false, readings: [reading('device_health', 'error', 'Request timed out')] }, named);
    expect(failed.get('ups\u0000battery_charge')!.map((r) => r.value)).toEqual([80]);
    expect(failed.get('device_health\u0000error')!.map((r) => r.value)).toEqual(['Request timed out']);
  });
});

describe('contextReadings', () => {
  it('lists the points in the rule’s order with the series’ own tags, the template’s unit and the reading’s time', () => {
    const snap = nextSnapshot(undefined, { ok: true, readings: [reading('ups', 'battery_runtime_remaining', 28, {}, T + 5), reading('ups', 'battery_charge', 96)] }, contextPointSet([onBattery])!);
    expect(contextReadings(onBattery.context!, snap, OWN, { 'ups.battery_charge': '%', 'ups.battery_runtime_remaining': 'min' })).toEqual([
      { measurement: 'ups', field: 'battery_charge', value: 96, unit: '%', at: T },
      { measurement: 'ups', field: 'battery_runtime_remaining', value: 28, unit: 'min', at: T + 5 },
    ]);
  });

  it('shows only the series carrying the point’s tags, keeps a reading without a value as null, and falls back to the reading’s unit', () => {
    const snap = nextSnapshot(undefined, { ok: true, readings: [reading('crac', 'temperature', 19, { sensor: 'supply_air' }), reading('crac', 'temperature', null, { sensor: 'return_air' })] }, contextPointSet([returnAir])!);
    expect(contextReadings(returnAir.context!, snap, OWN, {})).toEqual([{ measurement: 'crac', field: 'temperature', tags: { sensor: 'return_air' }, value: null, at: T }]);
  });

  it('is empty when none of the points was read', () => {
    expect(contextReadings(onBattery.context!, new Map(), OWN, {})).toEqual([]);
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
