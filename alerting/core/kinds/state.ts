import { Type } from '@sinclair/typebox';
import type { RuleKind } from './kind.js';
import { given, ownPoint, PLAIN_FORMAT } from './kind.js';

export interface StateParams {
  /** Raw state values that raise the alarm (UPS output source 5 = battery). */
  equals: readonly number[];
}

/** Fires while the value is one of the listed states. */
export const state: RuleKind<StateParams> = {
  name: 'state',
  keys: { equals: Type.Optional(Type.Array(Type.Number())) },
  conditions: ['equals'],
  template: { keys: { equals: Type.Optional(Type.Array(Type.Number(), { description: 'raw state values that raise the alarm' })) } },
  // Next to "minus", "equals" belongs to a difference rule, which refuses it at load time.
  claims: (input) => input.equals !== undefined && input.minus === undefined,
  compile: (input, _measurement, base) => ({ equals: given(input.equals, base?.equals)! }),
  inputs: ownPoint,
  judge: (rule, values) => (rule.params.equals.includes(values[0]!) ? 'raise' : 'clear'),
  describe: (rule, format = PLAIN_FORMAT) => `= ${rule.params.equals.map((v) => format.value(v, ownPoint(rule)[0]!)).join(' / ')}`,
};
