import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { ALERT_STATUS_MEASUREMENT, NAME_TAGS, POWER_ROLE_LABEL } from '../common/contracts/stored.js';
import { ALIAS_ROOM_DEVICE, alertAnnotations, baseDashboard, ROOM_FILTER, SITE_FILTER, siteRoomVariables, type Context } from './context.js';
import { findView, type FieldView } from './fields.js';
import { expressionTarget, ident, influxTarget, literal, readingQuery, readingSource, tagMatchesValues } from './influxql.js';
import { modelFilter } from './models.js';
import { fieldPanel, Grid, stateMappings, statPanel, stateTimelinePanel, timeseriesPanel } from './panels.js';
import { ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * What the room overview shows of each device category, by field name: the panels themselves
 * (units, states, limits) come from whichever templates of that category the config uses.
 */
const OVERVIEW: ReadonlyArray<{ category: string; fields: readonly string[] }> = [
  { category: 'ups', fields: ['output_load', 'battery_charge', 'battery_runtime_remaining', 'input_voltage', 'output_voltage'] },
  { category: 'crac', fields: ['temperature', 'humidity'] },
  { category: 'power_meter', fields: ['power_active_total'] },
  { category: 'environment', fields: ['temperature', 'humidity'] },
  { category: 'leak', fields: ['leak_detected'] },
];

export const CATEGORY_TITLES: Readonly<Record<string, string>> = {
  ups: 'UPS',
  crac: '精密空调 CRAC',
  power_meter: '配电 Power',
  environment: '温湿度 Temperature and humidity',
  leak: '漏水 Water leak',
};

const COMMS_MAPPINGS = stateMappings({ '1': { 'zh-CN': '在线', en: 'up' }, '0': { 'zh-CN': '离线', en: 'down' } }, { '1': 'green', '0': 'red' });

/** A field's panel of the room overview, filtered by the dashboard's site and room. */
export function roomFieldPanel(ctx: Context, view: FieldView, grid: Grid, title: string) {
  const groupBy = [NAME_TAGS.room, NAME_TAGS.device, ...view.seriesTags];
  const alias = [ALIAS_ROOM_DEVICE, ...view.seriesTags.map((t) => `$tag_${t}`)].join(' ');
  const models = modelFilter(ctx, view);
  const where = [SITE_FILTER, ROOM_FILTER, ...(models ? [models.where] : [])];
  const query = readingQuery({ measurement: view.measurement, field: view.field, aggregate: view.states ? 'last' : 'mean', where, groupBy, rawRetention: ctx.rawRetention });
  return fieldPanel(view, { title, targets: [influxTarget(ctx.uid, 'A', query, { alias })], ...(models ? { noValue: models.noValue } : {}) }, grid);
}

export function roomOverview(ctx: Context): Dashboard {
  const grid = new Grid();
  const board = baseDashboard('room-overview', '机房总览 Room overview', 'Per room: UPS, CRAC, power, temperature/humidity and leak sensors, active alerts and devices up/down / 每个机房的 UPS、空调、配电、温湿度、漏水、告警与设备在线状态')
    .variables(siteRoomVariables(ctx))
    .annotation(alertAnnotations(ctx, true));
  for (const p of alertStatPanels(ctx, grid)) board.withPanel(p);
  grid.newRow();
  board.withPanel(devicesUpDown(ctx, grid));
  grid.newRow();
  for (const section of OVERVIEW) {
    const measurements = new Set(ctx.templates.filter((t) => t.category === section.category).map((t) => t.measurement));
    for (const measurement of [...measurements].sort()) {
      for (const field of section.fields) {
        const view = findView(ctx.views, measurement, field);
        if (view) board.withPanel(roomFieldPanel(ctx, view, grid, `${CATEGORY_TITLES[section.category] ?? section.category} · ${field}`));
      }
    }
  }
  const pue = puePanel(ctx, grid);
  if (pue) board.withPanel(pue);
  return board.build();
}

function alertStatPanels(ctx: Context, grid: Grid) {
  const query = (field: string) =>
    `SELECT sum(${ident(field)}) FROM (SELECT last(${ident(field)}) AS ${ident(field)} FROM ${ident(ALERT_STATUS_MEASUREMENT)} WHERE $timeFilter AND ${SITE_FILTER} AND ${ROOM_FILTER} GROUP BY "room", "severity") GROUP BY "severity"`;
  const red = new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([{ value: null, color: 'green' }, { value: 1, color: 'red' }]);
  return [
    statPanel({ title: '活动告警（按级别） Active alerts by severity', targets: [influxTarget(ctx.uid, 'A', query('active'), { alias: '$tag_severity' })] }, grid, { w: 12, thresholds: red }),
    statPanel({ title: '未确认告警 Unacknowledged alerts', targets: [influxTarget(ctx.uid, 'A', query('unacknowledged'), { alias: '$tag_severity' })] }, grid, { w: 12, thresholds: red }),
  ];
}

function devicesUpDown(ctx: Context, grid: Grid) {
  const query = readingQuery({ measurement: 'device_health', field: 'comms', aggregate: 'min', where: [SITE_FILTER, ROOM_FILTER], groupBy: [NAME_TAGS.room, NAME_TAGS.device], rawRetention: ctx.rawRetention });
  return stateTimelinePanel({ title: '设备通信 Devices up/down', targets: [influxTarget(ctx.uid, 'A', query, { alias: ALIAS_ROOM_DEVICE })] }, grid, COMMS_MAPPINGS, { h: 10 });
}

/**
 * PUE = facility incomer power / IT load power, per room, where meters are labelled with
 * power_role. Each side is the sum over its meters of their mean power per interval (a mean per
 * meter first, so meters polled at different rates weigh the same), divided by a server-side expression.
 */
function puePanel(ctx: Context, grid: Grid) {
  const meters = pueMeters(ctx);
  if (!meters.length) return undefined;
  const meter = ctx.templates.find((t) => t.category === 'power_meter' && findView(ctx.views, t.measurement, 'power_active_total'));
  if (!meter) return undefined;
  const side = (role: string) =>
    `SELECT sum("p") FROM (SELECT mean("power_active_total") AS "p" FROM ${readingSource(meter.measurement, ['power_active_total'], ctx.rawRetention)} ` +
    `WHERE $timeFilter AND ${tagMatchesValues('device', meters.map((m) => m.id))} AND ${ident(POWER_ROLE_LABEL)} = ${literal(role)} GROUP BY time($__interval), ${ident(NAME_TAGS.room)}, "device" fill(none)) ` +
    `GROUP BY time($__interval), ${ident(NAME_TAGS.room)} fill(none)`;
  return timeseriesPanel(
    {
      title: 'PUE 电能利用效率',
      description: `Total facility power (meters labelled power_role: facility_incomer) / IT load power (power_role: it_load), in rooms with both: ${meters.map((m) => m.name).join(', ')} / 总进线功率除以 IT 负载功率，仅限两种电表都已标注的机房：${meters.map((m) => m.name).join('、')}`,
      unit: 'none',
      targets: [
        influxTarget(ctx.uid, 'A', side('facility_incomer'), { hide: true, alias: `$tag_${NAME_TAGS.room}` }),
        influxTarget(ctx.uid, 'B', side('it_load'), { hide: true, alias: `$tag_${NAME_TAGS.room}` }),
        expressionTarget('PUE', '$A / $B'),
      ],
    },
    grid,
  );
}

/**
 * The power_role meters of rooms that have both roles: only there is PUE defined, so the panel
 * reads those meters whatever $room is, rather than showing an empty ratio for the other rooms.
 * Device ids, unlike room ids, are unique across sites.
 */
function pueMeters(ctx: Context): Array<{ id: string; name: string }> {
  const byRoom = new Map<string, Array<{ id: string; name: string; role: string }>>();
  for (const device of ctx.input.devices) {
    const role = device.tags[POWER_ROLE_LABEL];
    if (!role) continue;
    const key = `${device.site}/${device.room}`;
    byRoom.set(key, [...(byRoom.get(key) ?? []), { id: device.id, name: device.name, role }]);
  }
  const complete = [...byRoom.values()].filter((meters) => meters.some((m) => m.role === 'facility_incomer') && meters.some((m) => m.role === 'it_load'));
  return complete.flat().map(({ id, name }) => ({ id, name }));
}
