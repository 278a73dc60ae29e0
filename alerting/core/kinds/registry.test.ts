import { describe, expect, it } from 'vitest';
import { RuleConfig } from '../../config/schema.js';
import { TemplateRule } from '../../config/template-rules.js';
import { conditionKeys, CONFIG_KINDS, inferKind, TEMPLATE_KINDS } from './index.js';
import { difference } from './difference.js';
import { rate } from './rate.js';
import { threshold } from './threshold.js';

describe('rule kinds as a registry', () => {
  it('compose the config rule keys: the common ones around every kind\'s own, in registry order, a shared key once', () => {
    expect(Object.keys(RuleConfig.properties)).toEqual([
      'name', 'match', 'disabled', 'kind', 'measurement', 'field', 'tags', 'severity',
      'above', 'below', 'clear_above', 'clear_below', 'equals', 'minus', 'when', 'rise', 'fall', 'window',
      'for', 'clear_for', 'summary', 'source', 'latch',
    ]);
    // Built-in kinds have no keys, so config cannot name them.
    expect(CONFIG_KINDS.map((k) => k.name)).toEqual(['threshold', 'state', 'difference', 'rate']);
  });

  it('compose the template rule keys: conditions, the rule\'s tags, then the other points it names; no rise, fall or window', () => {
    expect(Object.keys(TemplateRule.properties)).toEqual([
      'name', 'field', 'measurement', 'severity',
      'above', 'below', 'clear_above', 'clear_below', 'equals', 'tags', 'minus', 'when',
      'for', 'summary', 'source', 'incident', 'explained_by', 'latch', 'advice', 'context', 'category',
    ]);
    expect(TEMPLATE_KINDS.map((k) => k.name)).toEqual(['threshold', 'state', 'difference']);
    // The keys a rule needs one of: each kind's conditions, a shared one (difference's limits) once.
    expect(conditionKeys(TEMPLATE_KINDS)).toEqual(['above', 'below', 'equals']);
    expect(conditionKeys(CONFIG_KINDS)).toEqual(['above', 'below', 'equals', 'rise', 'fall']);
  });

  it('infer the kind of a rule that names none from the kinds\' claims, threshold when none claims it', () => {
    expect(inferKind({ equals: [5] }).name).toBe('state');
    expect(inferKind({ minus: { field: 'supply' }, below: 3 }).name).toBe('difference');
    // "equals" next to "minus" is a difference rule's mistake (refused at load), not a state rule.
    expect(inferKind({ minus: { field: 'supply' }, equals: [1] }).name).toBe('difference');
    expect(inferKind({ fall: 2, window: '5m' }).name).toBe('rate');
    expect(inferKind({ above: 32 }).name).toBe('threshold');
  });

  it('compile params from a rule\'s keys; an override keeps the overridden rule\'s params it does not give', () => {
    expect(rate.compile!({ rise: 2, window: '10m' }, 'env', undefined)).toEqual({ rise: 2, fall: undefined, windowMs: 600_000 });
    expect(threshold.compile!({ clear_below: 30 }, 'ups', { above: 32 })).toEqual({ above: 32, below: undefined, clearAbove: undefined, clearBelow: 30 });
    const base = difference.compile!({ below: 3, minus: { field: 'temperature', tags: { sensor: 'supply_air' } } }, 'crac', undefined);
    expect(base.minus).toEqual({ measurement: 'crac', field: 'temperature', tags: { sensor: 'supply_air' } });
    expect(difference.compile!({ below: 2 }, 'crac', base)).toEqual({ ...base, below: 2 });
  });
});
