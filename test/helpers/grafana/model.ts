/**
 * The parts of Grafana's dashboard JSON (schemaVersion 3x–4x) a query check reads, and how
 * Grafana walks them: panels[] with rows (collapsed rows hold their panels, open rows own the
 * panels after them), `repeat` on panels and rows, targets[] per panel, annotations.list.
 */
import type { ExpressionTarget } from './expressions.js';
import type { GrafanaVariable } from './template.js';

export interface DatasourceRef {
  type?: string;
  uid?: string;
}

export interface Target {
  refId: string;
  datasource?: DatasourceRef | string | null;
  hide?: boolean;
  query?: string;
  rawQuery?: boolean;
  resultFormat?: string;
  [key: string]: unknown;
}

export interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: DatasourceRef | string | null;
  targets?: Target[];
  panels?: Panel[];
  collapsed?: boolean;
  repeat?: string;
  maxDataPoints?: number;
  interval?: string;
  timeFrom?: string;
  timeShift?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  libraryPanel?: unknown;
  /** noValue: the text Grafana shows instead of "No data", saying what empty means. */
  fieldConfig?: { defaults?: { noValue?: string; [key: string]: unknown }; [key: string]: unknown };
}

export interface Annotation {
  name: string;
  builtIn?: number;
  enable?: boolean;
  datasource?: DatasourceRef | string | null;
  query?: string;
  target?: { query?: string; rawQuery?: boolean };
  [key: string]: unknown;
}

export interface Dashboard {
  uid?: string;
  title: string;
  timezone?: string;
  time?: { from: string; to: string };
  templating?: { list?: GrafanaVariable[] };
  annotations?: { list?: Annotation[] };
  panels?: Panel[];
}

/** Panels that draw no query result, so cannot show "No data". */
const NO_QUERY_PANELS = new Set(['row', 'text', 'dashlist', 'news', 'annolist', 'alertlist', 'welcome', 'gettingstarted']);

export function drawsData(panel: Panel): boolean {
  return !NO_QUERY_PANELS.has(panel.type);
}

/** Every panel with the row it sits in (whose `repeat` repeats it too). */
export function panelsWithRows(dashboard: Dashboard): Array<{ panel: Panel; row?: Panel }> {
  const out: Array<{ panel: Panel; row?: Panel }> = [];
  let row: Panel | undefined;
  for (const panel of dashboard.panels ?? []) {
    if (panel.type === 'row') {
      row = panel;
      for (const child of panel.panels ?? []) out.push({ panel: child, row });
      continue;
    }
    out.push({ panel, row });
  }
  return out;
}

export type TargetKind = { kind: 'influx' } | { kind: 'expression'; expression: ExpressionTarget } | { kind: 'shared' } | { kind: 'other'; why: string };

const EXPRESSION_UID = '__expr__';

function ref(datasource: DatasourceRef | string | null | undefined): DatasourceRef | undefined {
  if (datasource === null || datasource === undefined) return undefined;
  return typeof datasource === 'string' ? { uid: datasource } : datasource;
}

/**
 * What a target is: InfluxQL on the roomwatch datasource (`influxUid`, or any `influxdb`
 * datasource), a server-side expression, a "-- Dashboard --" reuse of another panel's result
 * (checked where it comes from), or something this check cannot run.
 */
export function targetKind(target: Target, panel: Panel, influxUid: string, resolveUid: (uid: string) => string): TargetKind {
  const source = ref(target.datasource) ?? ref(panel.datasource);
  const uid = source?.uid === undefined ? undefined : resolveUid(source.uid);
  if (source?.type === EXPRESSION_UID || uid === EXPRESSION_UID) return { kind: 'expression', expression: target as unknown as ExpressionTarget };
  if (uid === '-- Dashboard --' || source?.type === 'datasource') return { kind: 'shared' };
  if (uid !== influxUid && source?.type !== 'influxdb') return { kind: 'other', why: `datasource ${JSON.stringify(source ?? null)} is neither the InfluxDB datasource "${influxUid}" nor an expression` };
  if (typeof target.query !== 'string' || !target.query.trim()) return { kind: 'other', why: 'an InfluxDB target without a query text' };
  if (target.rawQuery === false) return { kind: 'other', why: 'a query-builder target (rawQuery false): this check expands raw InfluxQL only' };
  return { kind: 'influx' };
}

export function isBuiltInAnnotation(annotation: Annotation): boolean {
  const source = ref(annotation.datasource);
  return annotation.builtIn === 1 || source?.type === 'grafana' || source?.uid === 'grafana' || source?.uid === '-- Grafana --';
}

export function annotationQuery(annotation: Annotation): string | undefined {
  return annotation.target?.query ?? annotation.query;
}
