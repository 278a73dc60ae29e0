import { state } from '../core/kinds/state.js';
import { threshold, type ThresholdParams } from '../core/kinds/threshold.js';
import type { AlertRule } from '../core/rule.js';

/** roomwatch watches itself (Q/CR 578: the monitoring system's own faults must raise alarms). */
export const SELF_DEVICE = 'roomwatch';
export const SELF_MEASUREMENT = 'roomwatch';

type Common = Omit<AlertRule, 'kind' | 'params'>;

const common = (name: string, field: string, en: string, zh: string, extra: Partial<Common> = {}): Common => ({
  name, severity: 'major', measurement: SELF_MEASUREMENT, field, forMs: 0, clearForMs: 0, category: 'roomwatch',
  summary: { en, 'zh-CN': zh }, source: 'DOMAIN.md: the monitoring system must alarm on its own faults', ...extra,
});
const whenState = (equals: number[], rule: Common): AlertRule => ({ ...rule, kind: state, params: { equals } });
const whenPast = (limits: ThresholdParams, rule: Common): AlertRule => ({ ...rule, kind: threshold, params: limits });

export const SELF_RULES: AlertRule[] = [
  whenState([0], common('influxdb_unreachable', 'influxdb_reachable', 'InfluxDB unreachable: readings are being spooled', 'InfluxDB 无法连接，数据暂存本地', { forMs: 60_000 })),
  whenPast({ above: 50, clearBelow: 40 }, common('spool_filling', 'spool_fill_percent', 'Spool more than half full', '本地暂存空间已用一半以上')),
  whenPast({ above: 0, clearBelow: 1 }, common('notifications_failing', 'notifications_failed', 'Notifications cannot be delivered', '告警通知发送失败', { severity: 'major' })),
  whenState([1], common('config_reload_rejected', 'config_reload_rejected', 'Configuration reload rejected: still running the previous configuration', '配置重新加载被拒绝，仍按原配置运行')),
  // Sustained, not one sample: a silent device whose timeouts and retries add up to about its
  // interval overruns on some polls and not others, and comms loss already reports it; a poller
  // that falls behind stays behind (found by the clock-step chaos test on a loaded machine).
  whenPast({ above: 0, clearBelow: 1 }, common('poller_stalled', 'poller_overruns', 'A device poll is taking longer than its interval', '设备采集超时未完成', { severity: 'minor', forMs: 30_000 })),
];
