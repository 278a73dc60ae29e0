import type { RuleKind } from './kind.js';
import { ownPoint, PLAIN_FORMAT } from './kind.js';

export interface CommsParams {
  /** Polls in a row without an answer before the alarm. */
  downPolls: number;
}

/** Communication loss: the device health point's `comms` is 0 for N polls in a row. */
export const comms: RuleKind<CommsParams, number> = {
  name: 'comms',
  inputs: ownPoint,
  judge(rule, values, series) {
    const answered = values[0] !== 0;
    series.memory = answered ? 0 : (series.memory ?? 0) + 1;
    return series.memory >= rule.params.downPolls ? 'raise' : answered ? 'clear' : 'hold';
  },
  describe: (rule, format = PLAIN_FORMAT) => (format.language === 'zh-CN' ? `连续 ${rule.params.downPolls} 次轮询无应答` : `${rule.params.downPolls} ${rule.params.downPolls === 1 ? 'poll' : 'polls'} without answer`),
};
