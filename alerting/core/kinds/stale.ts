import type { RuleKind } from './kind.js';
import { ownPoint, PLAIN_FORMAT } from './kind.js';

export interface StaleParams {
  /** No reading from the device for this long. */
  staleMs: number;
}

/** Stale data: judged by the clock on every tick, never by a reading (there is none). */
export const stale: RuleKind<StaleParams> = {
  name: 'stale',
  inputs: ownPoint,
  judge: () => 'hold',
  tick(rule, lastSeen, now) {
    if (lastSeen === undefined) return { verdict: 'clear' };
    return { verdict: now - lastSeen > rule.params.staleMs ? 'raise' : 'clear', value: Math.round((now - lastSeen) / 1000) };
  },
  describe: (rule, format = PLAIN_FORMAT) => {
    const seconds = Math.round(rule.params.staleMs / 1000);
    return format.language === 'zh-CN' ? `超过 ${seconds} 秒无数据` : `no data for ${seconds} s`;
  },
};
