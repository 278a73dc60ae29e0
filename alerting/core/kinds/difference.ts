import type { PointRef, RuleKind } from './kind.js';
import { describeLimits, judgeLimits, type ThresholdParams } from './threshold.js';

export interface DifferenceParams extends ThresholdParams {
  /** The point subtracted from the rule's own point (same device; measurement defaults to the rule's). */
  minus: PointRef;
}

/** A - B without binary noise (24.3 - 18.1 is 6.200000000000001), for messages and hysteresis. */
const aMinusB = (values: readonly number[]): number => Number((values[0]! - values[1]!).toPrecision(12));

/** A point's name in messages: its tag values where it has tags (return_air), else its field. */
const pointName = (ref: PointRef): string => (ref.tags && Object.keys(ref.tags).length ? Object.values(ref.tags).join('/') : ref.field);

/**
 * Two points of one device compared: fires when the rule's point minus `minus` is past the
 * limits (above/below with hysteresis, like a threshold). A CRAC whose return air is barely
 * warmer than its supply air is moving air without cooling it.
 */
export const difference: RuleKind<DifferenceParams> = {
  name: 'difference',
  inputs: (rule) => [
    { measurement: rule.measurement, field: rule.field, tags: rule.tags },
    { measurement: rule.params.minus.measurement, field: rule.params.minus.field, tags: rule.params.minus.tags },
  ],
  judge: (rule, values, series) => judgeLimits(rule.params, aMinusB(values), series.phase === 'firing' || series.phase === 'clearing'),
  valueFor: (_rule, values) => aMinusB(values),
  describe: (rule) => `${pointName(rule)} − ${pointName(rule.params.minus)} ${describeLimits(rule.params)}`,
};
