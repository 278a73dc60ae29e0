import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { FAULT_STATS_MEASUREMENT, NAME_TAGS } from '../common/contracts/stored.js';
import { alertAnnotations, baseDashboard, type Context } from './context.js';
import { ident, influxTarget } from './influxql.js';
import { Grid, statPanel, tablePanel, timeseriesPanel } from './panels.js';

const STATS = `"events".${ident(FAULT_STATS_MEASUREMENT)}`;
/** fault_stats holds one point per local day: finer intervals would only split days. */
const DAY = '1d';

const NO_ACKNOWLEDGED = '无已确认故障 / no acknowledged faults';
const NO_RESOLVED = '无已解决故障 / no resolved faults';
const NO_FAULTS = '无故障 / no faults';
const NO_YEAR_AGO = '去年同期无记录 / no record a year earlier';

const ratio = (numerator: string, denominator: string) => `SELECT sum(${ident(numerator)}) / sum(${ident(denominator)}) FROM ${STATS} WHERE $timeFilter`;

export function faultsDashboard(ctx: Context): Dashboard {
  const grid = new Grid();
  const board = baseDashboard('faults', '故障统计 Fault statistics', 'Faults by category, severity and site; MTTA, MTTR, resolution rate, year on year, noisiest devices / 故障分类统计、平均确认与修复时长、按时解决率、同比与告警最多的设备', 'now-30d').annotation(
    alertAnnotations(ctx, false),
  );
  const stat = (title: string, query: string, unit: string, noValue: string, timeShift?: string) =>
    statPanel({ title, targets: [influxTarget(ctx.uid, 'A', query)], unit, interval: DAY, noValue, ...(timeShift ? { timeShift } : {}) }, grid, { w: 4 });
  // fault_stats has a point per local day with faults: a range without one had none (counts 0, no mean time).
  const figures: Array<[string, string, string, string]> = [
    ['故障数 Faults', `SELECT sum("faults") FROM ${STATS} WHERE $timeFilter`, 'none', '0'],
    ['平均确认时长 MTTA', ratio('ack_seconds_total', 'acknowledged'), 's', NO_ACKNOWLEDGED],
    ['平均修复时长 MTTR', ratio('resolve_seconds_total', 'resolved'), 's', NO_RESOLVED],
    ['按时解决率 Resolved within limit', ratio('resolved_within_limit', 'faults'), 'percentunit', NO_FAULTS],
    ['未确认 Unacknowledged', `SELECT sum("unacknowledged") FROM ${STATS} WHERE $timeFilter`, 'none', '0'],
    ['去年同期故障数 Faults a year ago', `SELECT sum("faults") FROM ${STATS} WHERE $timeFilter`, 'none', NO_YEAR_AGO],
  ];
  figures.forEach(([title, query, unit, noValue], i) => board.withPanel(stat(title, query, unit, noValue, i === figures.length - 1 ? '1y' : undefined)));
  grid.newRow();
  const by = (tag: string) => `SELECT sum("faults") FROM ${STATS} WHERE $timeFilter GROUP BY time($__interval), ${ident(tag)} fill(none)`;
  for (const [title, tag] of [
    ['按类别 Faults by category', 'category'],
    ['按级别 Faults by severity', 'severity'],
    ['按站点 Faults by site', NAME_TAGS.site],
    ['按设备类型 Faults by device type', 'device_type'],
  ] as const) {
    board.withPanel(timeseriesPanel({ title, targets: [influxTarget(ctx.uid, 'A', by(tag), { alias: `$tag_${tag}` })], interval: DAY, noValue: '0' }, grid, { bars: true }));
  }
  const monthly = `SELECT sum("faults") FROM ${STATS} WHERE $timeFilter GROUP BY time($__interval) fill(0)`;
  board.withPanel(
    timeseriesPanel(
      { title: '同比 Year on year', description: 'This period and the same period a year earlier / 本期与去年同期', targets: [influxTarget(ctx.uid, 'A', monthly, { alias: '本期 this period' })], interval: DAY, noValue: '0' },
      grid,
      { bars: true },
    ),
  );
  board.withPanel(
    timeseriesPanel({ title: '去年同期 Same period a year ago', targets: [influxTarget(ctx.uid, 'A', monthly, { alias: '去年 a year ago' })], interval: DAY, timeShift: '1y', noValue: NO_YEAR_AGO }, grid, { bars: true }),
  );
  const noisy =
    `SELECT count("alert_id") AS "alerts" FROM "events"."alert_events" WHERE $timeFilter AND "event" = 'opened' ` +
    `GROUP BY ${ident(NAME_TAGS.site)}, ${ident(NAME_TAGS.room)}, ${ident(NAME_TAGS.device)}`;
  board.withPanel(tablePanel({ title: '告警最多的设备 Noisiest devices', targets: [influxTarget(ctx.uid, 'A', noisy, { format: 'table' })] }, grid, { w: 24, sortBy: 'alerts' }));
  return board.build();
}
