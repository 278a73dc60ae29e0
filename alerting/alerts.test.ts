import { describe, expect, it } from 'vitest';
import { AlertBook } from './alerts.js';
import { createState, evaluate, type RuleBook } from './core/evaluate.js';
import { state } from './core/kinds/state.js';
import type { AlertRule } from './core/rule.js';
import { trapTransitions } from './trap-transitions.js';

const onBattery: AlertRule = {
  name: 'ups_on_battery', kind: state, severity: 'critical', measurement: 'ups', field: 'output_source', params: { equals: [5] },
  forMs: 0, clearForMs: 0, summary: { en: 'UPS running on battery', 'zh-CN': 'UPS 电池供电' }, source: 'test',
};
const rules: RuleBook = {
  rulesFor: (_device, measurement, field) => (measurement === 'ups' && field === 'output_source' ? [onBattery] : []),
  jointRulesFor: () => [],
  allFor: () => [onBattery],
  deviceTags: () => new Set(['site', 'room', 'device', 'device_type']),
};
const polled = (value: number, time: number) => [{ measurement: 'ups', field: 'output_source', value, time, tags: { device: 'ups-1', site: 's1' } }];

describe('AlertBook', () => {
  it('opens an alert nobody has been told of yet', () => {
    const book = new AlertBook();
    const [firing] = evaluate(createState(), polled(5, 1_000), rules, 1_000);
    expect(book.apply(firing!)?.alert).toMatchObject({ status: 'firing', told: [] });
    expect(book.active()[0]!.resolution).toBeUndefined();
  });

  it('records why an alert resolved: its condition cleared on evaluation, or a trap (by name) cleared it', () => {
    const book = new AlertBook();
    const core = createState();
    for (const t of evaluate(core, polled(5, 1_000), rules, 1_000)) book.apply(t);
    for (const t of evaluate(core, polled(3, 2_000), rules, 2_000)) book.apply(t);
    expect(book.recent()[0]).toMatchObject({ status: 'resolved', resolvedAt: 2_000, resolution: { reason: 'cleared' } });

    const trapped = new AlertBook();
    const traps = createState();
    for (const t of trapTransitions(traps, onBattery, 'ups-1', { raises: 'ups_on_battery', name: 'upsOnBattery' }, 3_000)) trapped.apply(t);
    for (const t of trapTransitions(traps, onBattery, 'ups-1', { clears: 'ups_on_battery', name: 'powerRestored' }, 4_000)) trapped.apply(t);
    expect(trapped.recent()[0]).toMatchObject({ status: 'resolved', resolvedAt: 4_000, resolution: { reason: 'trap', text: 'powerRestored' } });
  });
});
