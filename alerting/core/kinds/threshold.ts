import { Type } from '@sinclair/typebox';
import type { DescribeFormat, RuleKind } from './kind.js';
import { given, ownPoint, PLAIN_FORMAT } from './kind.js';

export interface ThresholdParams {
  above?: number;
  below?: number;
  /** Once firing, the value must come back below this (default: above) to clear. */
  clearBelow?: number;
  /** Once firing, the value must come back above this (default: below) to clear. */
  clearAbove?: number;
}

/** Is `value` past the limits, inside them, or (firing) in the hysteresis band between? */
export function judgeLimits(limits: ThresholdParams, value: number, firing: boolean): 'raise' | 'clear' | 'hold' {
  const raised = (limits.above !== undefined && value > limits.above) || (limits.below !== undefined && value < limits.below);
  if (raised) return 'raise';
  if (!firing) return 'clear';
  // Hysteresis: once firing, the value must come back past the clear threshold.
  const clearHigh = limits.above === undefined || (limits.clearBelow !== undefined ? value < limits.clearBelow : value <= limits.above);
  const clearLow = limits.below === undefined || (limits.clearAbove !== undefined ? value > limits.clearAbove : value >= limits.below);
  return clearHigh && clearLow ? 'clear' : 'hold';
}

/** "> 32 °C", "< 198 V or > 242 V": `value` formats a limit as the point's values read. */
export function describeLimits(limits: ThresholdParams, value: (limit: number) => string = String, language: DescribeFormat['language'] = 'en'): string {
  const parts = [limits.above !== undefined ? `> ${value(limits.above)}` : '', limits.below !== undefined ? `< ${value(limits.below)}` : ''].filter(Boolean);
  return parts.join(language === 'zh-CN' ? ' 或 ' : ' or ');
}

/** The limit keys, shared with the difference kind (which compares a difference against them). */
export const LIMIT_KEYS = {
  above: Type.Optional(Type.Number()),
  below: Type.Optional(Type.Number()),
  clear_above: Type.Optional(Type.Number()),
  clear_below: Type.Optional(Type.Number()),
};

/** The limits a rule's keys give; keys not given keep the overridden rule's. */
export function compileLimits(input: Readonly<Record<string, unknown>>, base: ThresholdParams | undefined): ThresholdParams {
  return {
    above: given(input.above, base?.above),
    below: given(input.below, base?.below),
    clearAbove: given(input.clear_above, base?.clearAbove),
    clearBelow: given(input.clear_below, base?.clearBelow),
  };
}

/** Above and/or below a limit, with optional clear thresholds (hysteresis). The kind of a rule that claims no other. */
export const threshold: RuleKind<ThresholdParams> = {
  name: 'threshold',
  keys: LIMIT_KEYS,
  template: { keys: LIMIT_KEYS },
  conditions: ['above', 'below'],
  compile: (input, _measurement, base) => compileLimits(input, base),
  inputs: ownPoint,
  judge: (rule, values, series) => judgeLimits(rule.params, values[0]!, series.phase === 'firing' || series.phase === 'clearing'),
  describe: (rule, format = PLAIN_FORMAT) => describeLimits(rule.params, (limit) => format.value(limit, ownPoint(rule)[0]!), format.language),
};
