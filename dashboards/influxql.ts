import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';

/**
 * The SDK has no InfluxDB query type (../shared/DECISIONS.md): this is the one roomwatch needs, a
 * raw InfluxQL statement, so what a panel asks is exactly what the query test runs against influxd.
 */
export interface InfluxTarget extends Dataquery {
  refId: string;
  datasource: { type: 'influxdb'; uid: string };
  query: string;
  rawQuery: true;
  resultFormat: 'time_series' | 'table';
  /** Legend pattern: `$tag_room_name / $tag_device_name`. */
  alias?: string;
  hide?: boolean;
}

/** A Grafana server-side expression (math over other refIds), e.g. the PUE ratio `$A / $B`. */
export interface ExpressionTarget extends Dataquery {
  refId: string;
  datasource: { type: '__expr__'; uid: '__expr__' };
  type: 'math';
  expression: string;
}

const builder = <T extends Dataquery>(value: Omit<T, '_implementsDataqueryVariant'>): Builder<Dataquery> => ({
  // Spread into a plain object: JSON must not carry the marker method.
  build: () => ({ ...value }) as T,
});

export function influxTarget(uid: string, refId: string, query: string, options: { format?: 'time_series' | 'table'; alias?: string; hide?: boolean } = {}): Builder<Dataquery> {
  return builder<InfluxTarget>({
    refId,
    datasource: { type: 'influxdb', uid },
    query,
    rawQuery: true,
    resultFormat: options.format ?? 'time_series',
    ...(options.alias ? { alias: options.alias } : {}),
    ...(options.hide ? { hide: true } : {}),
  });
}

/**
 * An InfluxQL annotation query as Grafana's InfluxDB datasource keeps it (the target of a migrated
 * annotation): the rows become events, `textColumn` their text, `tagsColumn` their tags.
 */
export function annotationTarget(uid: string, query: string, textColumn: string, tagsColumns: readonly string[]): Builder<Dataquery> {
  return builder<InfluxTarget & { fromAnnotations: true; textColumn: string; tagsColumn: string }>({
    refId: 'Anno',
    datasource: { type: 'influxdb', uid },
    query,
    rawQuery: true,
    resultFormat: 'table',
    fromAnnotations: true,
    textColumn,
    tagsColumn: tagsColumns.join(','),
  });
}

export function expressionTarget(refId: string, expression: string): Builder<Dataquery> {
  return builder<ExpressionTarget>({ refId, datasource: { type: '__expr__', uid: '__expr__' }, type: 'math', expression });
}

/** `"name"`, with InfluxQL's escaping of a double quote inside an identifier. */
export const ident = (name: string): string => `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
/** `'value'` as an InfluxQL string literal. */
export const literal = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A value escaped for an InfluxQL regex literal: regex metacharacters and the closing slash. */
const escapeRegex = (value: string): string => value.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** `"tag" =~ /^(a|b)$/`: a fixed set of tag values, each matched whole. */
export const tagMatchesValues = (tag: string, values: readonly string[]): string => `${ident(tag)} =~ /^(${values.map(escapeRegex).join('|')})$/`;

/** `"tag" =~ /^$var$/`: Grafana expands a (multi-)value variable into an escaped regex alternation. */
export const tagMatchesVariable = (tag: string, variable: string): string => `${ident(tag)} =~ /^$${variable}$/`;

export interface ReadingQuery {
  measurement: string;
  field: string;
  /** Aggregate applied per interval: mean for readings, last for states. */
  aggregate: 'mean' | 'last' | 'max' | 'min';
  /** Extra conditions (already InfluxQL), joined with AND after `$timeFilter`. */
  where: readonly string[];
  /** Tags to split series by, besides time. */
  groupBy: readonly string[];
  /** The raw retention as an InfluxQL duration (`30d`): older than this comes from long_term. */
  rawRetention: string;
  /** Interval to group by: `$__interval` unless a panel needs a fixed one. */
  interval?: string;
  /** Name of the aggregated column, for queries that feed an outer one. */
  as?: string;
}

/**
 * One series over raw and long_term alike: the recent part from "raw", the older from "long_term",
 * same field names (the downsampling keeps them). The split at now() - raw retention leaves no
 * overlap, so nothing is counted twice; `GROUP BY *` keeps every tag for the outer filter.
 */
export function readingSource(measurement: string, fields: readonly string[], rawRetention: string): string {
  const select = fields.map(ident).join(', ');
  return (
    `(SELECT ${select} FROM "raw".${ident(measurement)} WHERE time >= now() - ${rawRetention} GROUP BY *), ` +
    `(SELECT ${select} FROM "long_term".${ident(measurement)} WHERE time < now() - ${rawRetention} GROUP BY *)`
  );
}

export function readingQuery(q: ReadingQuery): string {
  const where = ['$timeFilter', ...q.where].join(' AND ');
  const group = [`time(${q.interval ?? '$__interval'})`, ...q.groupBy.map(ident)].join(', ');
  const as = q.as ? ` AS ${ident(q.as)}` : '';
  return `SELECT ${q.aggregate}(${ident(q.field)})${as} FROM ${readingSource(q.measurement, [q.field], q.rawRetention)} WHERE ${where} GROUP BY ${group} fill(none)`;
}
