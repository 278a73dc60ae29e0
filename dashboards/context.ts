import type { DeviceSpec, DeviceTemplate } from '../common/contracts/device.js';
import { influxDuration } from '../common/config/units.js';
import { NAME_TAGS } from '../common/contracts/stored.js';
import type { DashboardSettings } from '../reports/config.js';
import { DashboardBuilder, DashboardCursorSync, QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { AnnotationQueryBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { annotationTarget, ident, tagMatchesVariable } from './influxql.js';
import { fieldViews, type FieldView } from './fields.js';

/**
 * What generation reads: a loaded RoomwatchConfig has every one of these (structurally), so
 * dashboards/ needs nothing from app/.
 */
export interface DashboardInput {
  templates: ReadonlyMap<string, DeviceTemplate>;
  devices: readonly DeviceSpec[];
  influx: { url: string; database: string; username?: string; password?: unknown; rawRetentionMs: number };
  dashboards: DashboardSettings;
}

export interface Context {
  input: DashboardInput;
  uid: string;
  rawRetention: string;
  /** Templates the configured devices use, in name order. */
  templates: DeviceTemplate[];
  views: FieldView[];
}

export function contextFor(input: DashboardInput): Context {
  const used = [...new Set(input.devices.map((d) => d.template.name))].sort();
  const templates = used.map((name) => input.templates.get(name) ?? input.devices.find((d) => d.template.name === name)!.template);
  return { input, uid: input.dashboards.datasource.uid, rawRetention: influxDuration(input.influx.rawRetentionMs), templates, views: fieldViews(templates) };
}

/** A uid Grafana accepts (at most 40 of [A-Za-z0-9_-]) derived from the name alone, so it never changes between runs. */
export function stableUid(name: string): string {
  const slug = `roomwatch-${name}`.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  return slug.slice(0, 40);
}

export const SITE_FILTER = tagMatchesVariable(NAME_TAGS.site, 'site');
export const ROOM_FILTER = tagMatchesVariable(NAME_TAGS.room, 'room');
export const ALIAS_ROOM_DEVICE = `$tag_${NAME_TAGS.room} / $tag_${NAME_TAGS.device}`;

/** Site and room as InfluxQL tag-value variables (display names), room depending on site. */
export function siteRoomVariables(ctx: Context): QueryVariableBuilder[] {
  const ds = { type: 'influxdb', uid: ctx.uid };
  const variable = (name: string, label: string, query: string) =>
    new QueryVariableBuilder(name)
      .label(label)
      .datasource(ds)
      .query(query)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue('.*');
  return [
    variable('site', '站点 Site', `SHOW TAG VALUES FROM "device_health" WITH KEY = ${ident(NAME_TAGS.site)}`),
    variable('room', '机房 Room', `SHOW TAG VALUES FROM "device_health" WITH KEY = ${ident(NAME_TAGS.room)} WHERE ${SITE_FILTER}`),
  ];
}

/** Alert transitions from the alert history, as annotations on every time panel. */
export function alertAnnotations(ctx: Context, roomFiltered: boolean): AnnotationQueryBuilder {
  const where = ['$timeFilter', `"event" =~ /^(opened|resolved|acknowledged)$/`, ...(roomFiltered ? [SITE_FILTER, ROOM_FILTER] : [])].join(' AND ');
  const query = `SELECT "alert_id", "event", "severity", "rule", ${ident(NAME_TAGS.room)}, ${ident(NAME_TAGS.device)} FROM "events"."alert_events" WHERE ${where}`;
  return new AnnotationQueryBuilder()
    .name('告警 Alerts')
    .datasource({ type: 'influxdb', uid: ctx.uid })
    .enable(true)
    .iconColor('red')
    .target(annotationTarget(ctx.uid, query, 'rule', ['event', 'severity', NAME_TAGS.room, NAME_TAGS.device]));
}

export function baseDashboard(name: string, title: string, description: string, from = 'now-24h'): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(stableUid(name))
    .description(description)
    .tags(['roomwatch'])
    .timezone('browser')
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from, to: 'now' })
    .refresh('1m');
}
