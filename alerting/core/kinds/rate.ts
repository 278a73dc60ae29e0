import { Type } from '@sinclair/typebox';
import { DurationAtLeast } from '../../../common/config/primitives.js';
import { parseDuration } from '../../../common/config/units.js';
import type { RuleKind } from './kind.js';
import { given, ownPoint, PLAIN_FORMAT } from './kind.js';

export interface RateParams {
  /** Rise (or fall) of at least this much within windowMs. */
  rise?: number;
  fall?: number;
  windowMs: number;
}

/** Recent [evaluation time, value] pairs inside the window, oldest first. */
type Window = Array<[number, number]>;

/** Fires when the value rises (or falls) by an amount within a time window. */
export const rate: RuleKind<RateParams, Window> = {
  name: 'rate',
  keys: {
    rise: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    fall: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    window: Type.Optional(DurationAtLeast('1s', { meaning: 'the span a rise or fall is measured over' })),
  },
  conditions: ['rise', 'fall'],
  claims: (input) => input.rise !== undefined || input.fall !== undefined,
  compile: (input, _measurement, base) => ({
    rise: given(input.rise, base?.rise),
    fall: given(input.fall, base?.fall),
    windowMs: typeof input.window === 'string' ? parseDuration(input.window) : base?.windowMs,
  }) as RateParams,
  inputs: ownPoint,
  judge(rule, values, series, now) {
    const { rise, fall, windowMs } = rule.params;
    const value = values[0]!;
    const window = (series.memory ??= []);
    // Windowed by the evaluation time, not the reading's timestamp: a reading's time is the wall
    // clock at poll, and a step of that clock would stretch or empty the window.
    window.push([now, value]);
    while (window.length && window[0]![0] < now - windowMs) window.shift();
    const change = value - window[0]![1];
    const raised = (rise !== undefined && change >= rise) || (fall !== undefined && -change >= fall);
    return raised ? 'raise' : 'clear';
  },
  describe: (rule, format = PLAIN_FORMAT) => {
    const { rise, fall, windowMs } = rule.params;
    const amount = format.value(rise ?? fall!, ownPoint(rule)[0]!);
    const minutes = windowMs / 60_000;
    if (format.language === 'zh-CN') return `${minutes} 分钟内${rise !== undefined ? '上升' : '下降'} ≥ ${amount}`;
    return `${rise !== undefined ? 'rise' : 'fall'} ≥ ${amount} in ${minutes} min`;
  },
};
