import { ThresholdsConfigBuilder, ThresholdsMode, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { ALERT_STATUS_MEASUREMENT, FAULT_STATS_MEASUREMENT, NAME_TAGS, SEVERITY_RANK } from '../common/contracts/stored.js';
import { alertAnnotations, baseDashboard, type Context } from './context.js';
import { ident, influxTarget, literal } from './influxql.js';
import { barGaugePanel, Grid, stateMappings } from './panels.js';

const SITE = ident(NAME_TAGS.site);
const SEVERITY_NAMES = {
  '0': { 'zh-CN': '无告警', en: 'none' },
  '1': { 'zh-CN': '提示', en: 'warning' },
  '2': { 'zh-CN': '次要', en: 'minor' },
  '3': { 'zh-CN': '重要', en: 'major' },
  '4': { 'zh-CN': '紧急', en: 'critical' },
};
const SEVERITY_COLORS = { '0': 'green', '1': 'blue', '2': 'yellow', '3': 'orange', '4': 'red' };

/**
 * Worst active severity per site: each room's latest count per severity, turned into that
 * severity's rank where the count is above zero, plus a rank-0 row for every room so a quiet site
 * reads "none" instead of "No data"; the site's worst is the maximum.
 */
export function worstSeverityQuery(): string {
  const latest = (extra: string) => `SELECT last("active") AS "active" FROM ${ident(ALERT_STATUS_MEASUREMENT)} WHERE $timeFilter${extra} GROUP BY ${SITE}, "room", "severity"`;
  const ranked = Object.entries(SEVERITY_RANK).map(
    ([severity, rank]) => `(SELECT "active" * 0 + ${rank} AS "rank" FROM (${latest(` AND "severity" = ${literal(severity)}`)}) WHERE "active" > 0)`,
  );
  const none = `(SELECT "active" * 0 AS "rank" FROM (${latest('')}))`;
  return `SELECT max("rank") FROM ${[none, ...ranked].join(', ')} GROUP BY ${SITE}`;
}

export function provinceOverview(ctx: Context): Dashboard {
  const grid = new Grid();
  const board = baseDashboard('province', '全省总览 Province overview', "Every site's worst active alert, devices down and faults this month / 各站点最高告警级别、离线设备数与本月故障数").annotation(
    alertAnnotations(ctx, false),
  );
  const severity = new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(Object.entries(SEVERITY_COLORS).map(([v, color]) => ({ value: v === '0' ? null : Number(v), color })));
  board.withPanel(
    barGaugePanel({ title: '最高活动告警级别 Worst active severity', targets: [influxTarget(ctx.uid, 'A', worstSeverityQuery(), { alias: `$tag_${NAME_TAGS.site}` })] }, grid, {
      w: 8,
      mappings: stateMappings(SEVERITY_NAMES, SEVERITY_COLORS),
      thresholds: severity,
    }),
  );
  const down = `SELECT sum("down") FROM (SELECT last("comms") * -1 + 1 AS "down" FROM "device_health" WHERE $timeFilter GROUP BY ${SITE}, "device") GROUP BY ${SITE}`;
  const redAbove = (n: number) => new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([{ value: null, color: 'green' }, { value: n, color: 'red' }]);
  board.withPanel(barGaugePanel({ title: '离线设备 Devices down', targets: [influxTarget(ctx.uid, 'A', down, { alias: `$tag_${NAME_TAGS.site}` })] }, grid, { w: 8, thresholds: redAbove(1) }));
  const faults = `SELECT sum("faults") FROM "events".${ident(FAULT_STATS_MEASUREMENT)} WHERE $timeFilter GROUP BY ${SITE}`;
  board.withPanel(
    barGaugePanel({ title: '本月故障 Faults this month', targets: [influxTarget(ctx.uid, 'A', faults, { alias: `$tag_${NAME_TAGS.site}` })], timeFrom: 'now/M', interval: '1d' }, grid, {
      w: 8,
      thresholds: redAbove(1),
    }),
  );
  return board.build();
}
