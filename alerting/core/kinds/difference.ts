import { Type } from '@sinclair/typebox';
import { FieldName } from '../../../common/config/primitives.js';
import type { PointRef, RuleInput, RuleKind, RuleProblem, TemplateKeys } from './kind.js';
import { PLAIN_FORMAT } from './kind.js';
import { compileLimits, describeLimits, judgeLimits, LIMIT_KEYS, type ThresholdParams } from './threshold.js';

export interface DifferenceParams extends ThresholdParams {
  /** The point subtracted from the rule's own point (same device; measurement defaults to the rule's). */
  minus: PointRef;
  /** The rule applies only while this point reads one of `equals` (a unit that is on, not on standby). */
  when?: PointRef & { equals: readonly number[] };
}

const strict = { additionalProperties: false } as const;
const Tags = Type.Optional(Type.Record(Type.String(), Type.String()));

/** A - B without binary noise (24.3 - 18.1 is 6.200000000000001), for messages and hysteresis. */
const aMinusB = (values: readonly number[]): number => Number((values[0]! - values[1]!).toPrecision(12));

/** A point's name in messages: its tag values where it has tags (return_air), else its field. */
const pointName = (ref: PointRef): string => (ref.tags && Object.keys(ref.tags).length ? Object.values(ref.tags).join('/') : ref.field);

/** A point as given (measurement optional), with the rule's measurement where it names none. */
function located<T extends PointRef>(input: unknown, measurement: string): T | undefined {
  if (input === undefined) return undefined;
  const point = input as Partial<PointRef>;
  return { ...point, measurement: point.measurement ?? measurement } as T;
}

/** The keys of a point as a template names it: a snake_case field first, as in the template's points. */
const templatePoint = { field: FieldName, measurement: Type.Optional(FieldName), tags: Tags };

type NamedPoint = { measurement?: string; field: string };

const inTemplates: TemplateKeys = {
  keys: LIMIT_KEYS,
  points: {
    minus: Type.Optional(Type.Object(templatePoint, { ...strict, description: 'the point subtracted from the rule\'s own: field, optional measurement and tags' })),
    // A precision AC on standby (N+1 rotation) moves no heat, so its return and supply air read
    // alike; without `when` it would look like a unit that lost cooling.
    when: Type.Optional(
      Type.Object(
        { ...templatePoint, equals: Type.Array(Type.Number(), { minItems: 1, description: 'raw values of the point in which the rule applies, e.g. [1] for "on"' }) },
        { ...strict, description: 'the state in which the rule applies: field, optional measurement and tags, and equals' },
      ),
    ),
  },
  check(input, produced) {
    const problems: RuleProblem[] = [];
    const minus = input.minus as NamedPoint | undefined;
    const when = input.when as NamedPoint | undefined;
    if (minus) {
      if (!produced(minus)) problems.push({ path: ['minus', 'field'], message: `rule subtracts field "${minus.field}", which no point of this template produces` });
      if (input.equals !== undefined) problems.push({ path: ['equals'], message: 'a difference rule (minus) takes "above" or "below", not "equals"' });
    }
    if (when) {
      if (!minus) problems.push({ path: ['when'], message: '"when" only applies to a difference rule (one with "minus")' });
      if (!produced(when)) problems.push({ path: ['when', 'field'], message: `rule applies "when" field "${when.field}", which no point of this template produces` });
    }
    return problems;
  },
};

/**
 * Two points of one device compared: fires when the rule's point minus `minus` is past the
 * limits (above/below with hysteresis, like a threshold). A CRAC whose return air is barely
 * warmer than its supply air is moving air without cooling it. With `when`, a third point says
 * whether the comparison means anything: outside those states the rule clears instead of firing.
 */
export const difference: RuleKind<DifferenceParams> = {
  name: 'difference',
  keys: {
    ...LIMIT_KEYS,
    minus: Type.Optional(
      Type.Object(
        { measurement: Type.Optional(Type.String()), field: Type.String(), tags: Tags },
        { ...strict, description: 'a difference rule: the point subtracted from the rule\'s own (field, optional measurement and tags)' },
      ),
    ),
    when: Type.Optional(
      Type.Object(
        { measurement: Type.Optional(Type.String()), field: Type.String(), tags: Tags, equals: Type.Array(Type.Number(), { minItems: 1 }) },
        { ...strict, description: 'a difference rule applies only while this point reads one of "equals" (e.g. a CRAC that is on, not on standby)' },
      ),
    ),
  },
  template: inTemplates,
  conditions: ['above', 'below'],
  claims: (input: RuleInput) => input.minus !== undefined,
  compile: (input, measurement, base) => ({
    ...compileLimits(input, base),
    minus: (located<PointRef>(input.minus, measurement) ?? base?.minus) as PointRef,
    when: located<PointRef & { equals: readonly number[] }>(input.when, measurement) ?? base?.when,
  }),
  inputs: (rule) => {
    const { minus, when } = rule.params;
    const refs: PointRef[] = [
      { measurement: rule.measurement, field: rule.field, tags: rule.tags },
      { measurement: minus.measurement, field: minus.field, tags: minus.tags },
    ];
    if (when) refs.push({ measurement: when.measurement, field: when.field, tags: when.tags });
    return refs;
  },
  judge: (rule, values, series) => {
    const { when } = rule.params;
    if (when && !when.equals.includes(values[2]!)) return 'clear';
    return judgeLimits(rule.params, aMinusB(values), series.phase === 'firing' || series.phase === 'clearing');
  },
  valueFor: (_rule, values) => aMinusB(values),
  describe: (rule, format = PLAIN_FORMAT) => {
    const { minus, when } = rule.params;
    const limits = describeLimits(rule.params, (limit) => format.value(limit, rule), format.language);
    return `${pointName(rule)} − ${pointName(minus)} ${limits}${when ? ` (${when.field} = ${when.equals.map((v) => format.value(v, when)).join('/')})` : ''}`;
  },
};
