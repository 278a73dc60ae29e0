import { describe, expect, it } from 'vitest';
import { createState, evaluate, tick, type RuleBook, type Sample } from './evaluate.js';
import { comms } from './kinds/comms.js';
import { rate } from './kinds/rate.js';
import { stale } from './kinds/stale.js';
import { state } from './kinds/state.js';
import { threshold } from './kinds/threshold.js';
import type { AlertRule } from './rule.js';

const MIN = 60_000;
const base: Omit<AlertRule, 'name' | 'kind' | 'measurement' | 'field' | 'params'> = { severity: 'major', forMs: 0, clearForMs: 0, summary: { en: 'x', 'zh-CN': 'x' }, source: 'test' };

function book(rules: AlertRule[]): RuleBook {
  return {
    rulesFor: (_device, measurement, field) => rules.filter((r) => r.measurement === measurement && r.field === field),
    jointRulesFor: () => [],
    allFor: () => rules,
    deviceTags: () => new Set(['site', 'room', 'device', 'device_type']),
  };
}
const sample = (field: string, value: number | null, time: number, tags: Record<string, string> = {}): Sample => ({ measurement: 'm', field, value, time, tags: { device: 'd1', site: 's', ...tags } });

/** Feeds values one per minute and returns the transition kinds seen at each step. */
function run(rule: AlertRule, values: Array<number | null>, flapping?: { windowMs: number; changes: number }) {
  const state = createState();
  return values.map((v, i) => evaluate(state, [sample(rule.field, v, i * MIN)], book([rule]), i * MIN, flapping).map((t) => t.kind + (t.suppressed ? '(suppressed)' : '')).join(','));
}

describe('threshold rules', () => {
  const rule: AlertRule = { ...base, name: 'hot', kind: threshold, measurement: 'm', field: 't', params: { above: 32, clearBelow: 31 } };

  it('fire above the limit and resolve only past the clear threshold (hysteresis)', () => {
    expect(run(rule, [30, 33, 31.5, 32.5, 30.9, 30])).toEqual(['', 'firing', 'updated', 'updated', 'resolved', '']);
  });

  it('report the value a firing series reads now, inside the hysteresis band too, and only when it moves', () => {
    const state = createState();
    const values = (v: number, i: number) => evaluate(state, [sample('t', v, i * MIN)], book([rule]), i * MIN).map((t) => `${t.kind}:${t.value}`);
    expect([30, 33, 33, 31.5, 31.5, 30.5, 30.2].map(values)).toEqual([[], ['firing:33'], [], ['updated:31.5'], [], ['resolved:30.5'], []]);
  });

  it('handle ranges (above or below) with clear thresholds on both sides', () => {
    const range: AlertRule = { ...base, name: 'v', kind: threshold, measurement: 'm', field: 'v', params: { above: 407, below: 353, clearBelow: 404, clearAbove: 356 } };
    expect(run(range, [380, 350, 354, 357, 410, 405, 400])).toEqual(['', 'firing', 'updated', 'resolved', 'firing', 'updated', 'resolved']);
  });

  it('wait for the condition to last "for" before firing, and "clear for" before resolving', () => {
    const slow: AlertRule = { ...rule, forMs: 2 * MIN, clearForMs: 2 * MIN };
    expect(run(slow, [33, 33, 30, 33, 33, 33, 30, 33, 30, 30, 30])).toEqual(['pending', '', '', 'pending', '', 'firing', 'updated', 'updated', 'updated', '', 'resolved']);
  });

  it('ignore readings without a value', () => {
    expect(run(rule, [33, null, null, 30])).toEqual(['firing', '', '', 'resolved']);
  });

  it('keep one series per phase/sensor label', () => {
    const state = createState();
    const rules = book([{ ...rule, field: 'v', params: { above: 250 } }]);
    const t = evaluate(state, [sample('v', 260, 0, { phase: '1' }), sample('v', 230, 0, { phase: '2' }), sample('v', 270, 0, { phase: '3' })], rules, 0);
    expect(t.map((x) => x.labels)).toEqual([{ phase: '1' }, { phase: '3' }]);
    expect(t[0]!.key).toBe('hot|d1|phase=1');
  });
});

describe('state rules', () => {
  it('fire while the value is one of the listed states (UPS on battery)', () => {
    const rule: AlertRule = { ...base, name: 'on_battery', kind: state, measurement: 'm', field: 'src', params: { equals: [5] } };
    expect(run(rule, [3, 5, 5, 3, 4])).toEqual(['', 'firing', '', 'resolved', '']);
  });
});

describe('rate-of-change rules', () => {
  it('fire when the value rises by the amount within the window', () => {
    const rule: AlertRule = { ...base, name: 'rising', kind: rate, measurement: 'm', field: 't', params: { rise: 2, windowMs: 10 * MIN } };
    // +0.5 °C a minute: 2 °C reached after 4 minutes; it stops rising and the window slides past.
    const values = [22, 22.5, 23, 23.5, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24];
    const seen = run(rule, values);
    expect(seen.indexOf('firing')).toBe(4);
    expect(seen.indexOf('resolved')).toBe(11); // at 11 min the window no longer holds the 22 °C sample
  });

  it('keep their window on the evaluation clock when the readings’ wall-clock times step an hour back', () => {
    const rule: AlertRule = { ...base, name: 'rising', kind: rate, measurement: 'm', field: 't', params: { rise: 5, windowMs: 15 * MIN } };
    const state = createState();
    // A slow warming (0.2 °C a minute: 3 °C per window) is no alarm; after 20 minutes the poll
    // timestamps jump an hour back while the engine's steady clock goes on.
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      const wallTime = i * MIN - (i >= 20 ? 60 * MIN : 0);
      seen.push(...evaluate(state, [sample('t', 22 + 0.2 * i, wallTime)], book([rule]), i * MIN).map((t) => t.kind));
    }
    expect(seen).toEqual([]);
  });
});

describe('communication loss and stale data', () => {
  it('fire after N polls without answer and resolve on the first answer', () => {
    const rule: AlertRule = { ...base, name: 'comms', kind: comms, measurement: 'm', field: 'comms', params: { downPolls: 3 } };
    expect(run(rule, [1, 0, 0, 1, 0, 0, 0, 0, 1])).toEqual(['', '', '', '', '', '', 'firing', '', 'resolved']);
  });

  it('fire when a device has sent nothing for the stale time', () => {
    const rule: AlertRule = { ...base, name: 'stale', kind: stale, measurement: 'm', field: '*', params: { staleMs: 5 * MIN } };
    const state = createState();
    const seen = new Map([['d1', 0]]);
    const at = (t: number) => tick(state, ['d1'], book([rule]), t, seen).map((x) => x.kind);
    expect(at(4 * MIN)).toEqual([]);
    expect(at(6 * MIN)).toEqual(['firing']);
    seen.set('d1', 7 * MIN);
    expect(at(7 * MIN)).toEqual(['resolved']);
  });

  it('lets a "for" duration elapse between polls', () => {
    const rule: AlertRule = { ...base, name: 'hot', kind: threshold, measurement: 'm', field: 't', params: { above: 32 }, forMs: 90_000 };
    const state = createState();
    evaluate(state, [sample('t', 35, 0)], book([rule]), 0);
    expect(tick(state, ['d1'], book([rule]), 60_000, new Map()).map((t) => t.kind)).toEqual([]);
    expect(tick(state, ['d1'], book([rule]), 100_000, new Map()).map((t) => t.kind)).toEqual(['firing']);
  });
});

describe('flapping', () => {
  const rule: AlertRule = { ...base, name: 'flap', kind: state, measurement: 'm', field: 's', params: { equals: [1] } };
  const policy = { windowMs: 10 * MIN, changes: 4 };

  it('notifies once when a series changes too often, hides the changes but not the condition, and resolves once when it calms down clear', () => {
    const values = [1, 0, 1, 0, 1, 0, 1, 0, ...Array<number>(12).fill(0)];
    const seen = run(rule, values, policy);
    // The fourth change (a clear) starts flapping: it still reaches the alert, as a hidden change.
    expect(seen.slice(0, 8)).toEqual(['firing', 'resolved', 'firing', 'resolved(suppressed),flapping_started', 'firing(suppressed)', 'resolved(suppressed)', 'firing(suppressed)', 'resolved(suppressed)']);
    // Ten quiet minutes after the last change, the series is clear: one plain resolved ends the alert.
    expect(seen.slice(8).filter(Boolean)).toEqual(['flapping_ended,resolved']);
  });

  it('ends flapping with nothing more when the calm window finds the series firing', () => {
    const values = [1, 0, 1, 0, 1, ...Array<number>(12).fill(1)];
    const seen = run(rule, values, policy);
    expect(seen.slice(0, 5)).toEqual(['firing', 'resolved', 'firing', 'resolved(suppressed),flapping_started', 'firing(suppressed)']);
    expect(seen.slice(5).filter(Boolean)).toEqual(['flapping_ended']);
  });

  it('carry the value each hidden change read, so the alert can show it', () => {
    const state = createState();
    const seen = [1, 0, 1, 0, 1].flatMap((v, i) => evaluate(state, [sample('s', v, i * MIN)], book([rule]), i * MIN, policy));
    expect(seen.filter((t) => t.suppressed).map((t) => `${t.kind}:${t.value}`)).toEqual(['resolved:0', 'firing:1']);
    expect(seen.find((t) => t.kind === 'flapping_started')!.value).toBe(0);
  });
});

describe('evaluation count (the daemon metric roomwatch_rule_evaluations_total)', () => {
  it('counts each rule judged against a value or a timer, not readings no rule reads nor values without a number', () => {
    const hot: AlertRule = { ...base, name: 'hot', kind: threshold, measurement: 'm', field: 't', params: { above: 32 } };
    const stuck: AlertRule = { ...base, name: 'stale', kind: stale, measurement: 'm', field: '*', params: { staleMs: 5 * MIN } };
    const rules = book([hot, stuck]);
    const state = createState();
    evaluate(state, [sample('t', 30, 0), sample('other', 1, 0), sample('t', null, 0)], rules, 0);
    expect(state.evaluations).toBe(1);
    evaluate(state, [sample('t', 33, MIN), sample('t', 34, MIN, { sensor: '2' })], rules, MIN);
    expect(state.evaluations).toBe(3);
    tick(state, ['d1'], rules, 2 * MIN, new Map([['d1', MIN]]));
    expect(state.evaluations).toBe(4);
  });
});
