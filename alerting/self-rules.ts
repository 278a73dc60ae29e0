import type { AlertRule } from './core/rule.js';

/** roomwatch watches itself (Q/CR 578: the monitoring system's own faults must raise alarms). */
export const SELF_DEVICE = 'roomwatch';
export const SELF_MEASUREMENT = 'roomwatch';

const rule = (name: string, field: string, extra: Partial<AlertRule>, en: string, zh: string): AlertRule => ({
  name, kind: 'threshold', severity: 'major', measurement: SELF_MEASUREMENT, field, forMs: 0, clearForMs: 0,
  summary: { en, 'zh-CN': zh }, source: 'DOMAIN.md: the monitoring system must alarm on its own faults', ...extra,
});

export const SELF_RULES: AlertRule[] = [
  rule('influxdb_unreachable', 'influxdb_reachable', { kind: 'state', equals: [0], forMs: 60_000 }, 'InfluxDB unreachable: readings are being spooled', 'InfluxDB 无法连接，数据暂存本地'),
  rule('spool_filling', 'spool_fill_percent', { above: 50, clearBelow: 40 }, 'Spool more than half full', '本地暂存空间已用一半以上'),
  rule('notifications_failing', 'notifications_failed', { above: 0, clearBelow: 1, severity: 'major' }, 'Notifications cannot be delivered', '告警通知发送失败'),
  rule('config_reload_rejected', 'config_reload_rejected', { kind: 'state', equals: [1] }, 'Configuration reload rejected: still running the previous configuration', '配置重新加载被拒绝，仍按原配置运行'),
  rule('poller_stalled', 'poller_overruns', { above: 0, clearBelow: 1, severity: 'minor' }, 'A device poll is taking longer than its interval', '设备采集超时未完成'),
];
