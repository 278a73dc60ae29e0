import type { RuleKind } from './kind.js';
import { ownPoint } from './kind.js';

export interface StateParams {
  /** Raw state values that raise the alarm (UPS output source 5 = battery). */
  equals: readonly number[];
}

/** Fires while the value is one of the listed states. */
export const state: RuleKind<StateParams> = {
  name: 'state',
  inputs: ownPoint,
  judge: (rule, values) => (rule.params.equals.includes(values[0]!) ? 'raise' : 'clear'),
  describe: (rule) => `= ${rule.params.equals.join(' / ')}`,
};
