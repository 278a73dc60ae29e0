import type { DeviceSpec, TemplatePoint } from '../common/contracts/device.js';
import { LONG_TERM_POLICY, NAME_TAGS, RAW_POLICY } from '../common/contracts/stored.js';
import { ident, literal, type Query, type Row } from '../reports/influx-query.js';
import { HistoryUnavailable } from '../reports/faults/store.js';

/** One point's values over time, as the trend and alert-readings routes answer. */
export interface Series {
  measurement: string;
  field: string;
  /** The point's own tags (phase, sensor); the device's identity and labels left out. */
  tags: Record<string, string>;
  unit?: string;
  /** [epoch ms, value], oldest first. */
  points: Array<[number, number | string | null]>;
}

/** What to read: one statement per point, and how to name what comes back. */
export interface SeriesRequest {
  statements: string[];
  points: Array<{ measurement: string; field: string; unit?: string }>;
  /** The device's tags, taken off each series' tags so a series is named by the point's own. */
  deviceTags: Readonly<Record<string, string>>;
  /** Keeps only series whose own tags agree with these (an alert's labels: its phase, not the others). */
  matching?: Readonly<Record<string, string>>;
}

/** Per measurement, each numeric field's downsampling aggregate; text fields are not in it. */
export type Aggregates = ReadonlyMap<string, ReadonlyArray<{ field: string; aggregate: string }>>;
/** The InfluxQL functions an aggregate may name: the plan is ours, but only these reach a query. */
const FUNCTIONS = new Set(['mean', 'last', 'max', 'min']);

/** How one window of a field is summed up: as the downsampling does it; text (absent from the plan) by its last value. */
export function aggregateFor(aggregates: Aggregates, measurement: string, field: string): string {
  const aggregate = aggregates.get(measurement)?.find((f) => f.field === field)?.aggregate;
  return aggregate && FUNCTIONS.has(aggregate) ? aggregate : 'last';
}

/** Where a span is read and how it is summed up. */
export interface SeriesSource {
  rawRetentionMs: number;
  aggregates: Aggregates;
}

export interface Span {
  fromMs: number;
  toMs: number;
}

/** A chart is a few hundred pixels wide: more points than this are averaged into windows. */
export const MAX_POINTS = 500;

/**
 * The InfluxQL for points of one device in a span. The caller has checked every name against the
 * configuration; they are quoted here too (ident, literal), so no text becomes syntax. Windows are
 * at least the poll interval, and wide enough for at most MAX_POINTS per series; each window keeps
 * the aggregate the downsampling uses for the point (states their last value, flags their maximum).
 */
export function seriesQuery(
  device: { id: string; intervalMs: number; tags: Readonly<Record<string, string>>; points: readonly TemplatePoint[] },
  wanted: ReadonlyArray<{ measurement: string; field: string; unit?: string }>,
  span: Span,
  source: SeriesSource,
  now: number,
): SeriesRequest {
  const windowMs = Math.max(device.intervalMs, Math.ceil((span.toMs - span.fromMs) / MAX_POINTS / 1000) * 1000);
  // Older than the raw retention, only the downsampled copy is left.
  const policy = now - span.fromMs > source.rawRetentionMs ? LONG_TERM_POLICY : RAW_POLICY;
  const statements = wanted.map(({ measurement, field }) => {
    const aggregate = aggregateFor(source.aggregates, measurement, field);
    return (
      `SELECT ${aggregate}(${ident(field)}) AS "value" FROM ${ident(policy)}.${ident(measurement)}` +
      ` WHERE "device" = ${literal(device.id)} AND time >= ${Math.floor(span.fromMs)}ms AND time <= ${Math.floor(span.toMs)}ms` +
      ` GROUP BY time(${windowMs}ms), * fill(none)`
    );
  });
  const points = wanted.map(({ measurement, field, unit }) => {
    const declared = unit ?? device.points.find((p) => p.measurement === measurement && p.field === field && p.unit)?.unit;
    return { measurement, field, ...(declared ? { unit: declared } : {}) };
  });
  return { statements, points, deviceTags: device.tags };
}

/** The trend of a configured device's points. */
export function trendQuery(spec: DeviceSpec, wanted: ReadonlyArray<{ measurement: string; field: string }>, span: Span, source: SeriesSource, now = span.toMs): SeriesRequest {
  return seriesQuery({ id: spec.id, intervalMs: spec.intervalMs, tags: spec.tags, points: spec.template.points }, wanted, span, source, now);
}

/** Before the sink's first write there is no database or policy: no readings yet, not a failure. */
const NOTHING_YET = /database not found|retention policy not found|measurement not found/i;

/** Runs the statements and names the answer; InfluxDB not answering is HistoryUnavailable (503). */
export async function readSeries(query: Query, request: SeriesRequest): Promise<Series[]> {
  let results: Row[][];
  try {
    results = await query(request.statements);
  } catch (error) {
    if (NOTHING_YET.test((error as Error).message)) return [];
    throw new HistoryUnavailable((error as Error).message);
  }
  return results.flatMap((rows, i) => seriesOf(rows, request.points[i]!, request));
}

/** Tags that say which device a point is from in people's words (added by the sink), not which of its points. */
const DISPLAY_NAME_TAGS: ReadonlySet<string> = new Set(Object.values(NAME_TAGS));

/** Rows of one statement (each carries its series' tags) grouped back into series. */
export function seriesOf(rows: readonly Row[], point: SeriesRequest['points'][number], request: Pick<SeriesRequest, 'deviceTags' | 'matching'>): Series[] {
  const byTags = new Map<string, Series>();
  for (const row of rows) {
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key === 'time' || key === 'value' || typeof value !== 'string' || value === '' || DISPLAY_NAME_TAGS.has(key)) continue;
      if (request.deviceTags[key] !== value) tags[key] = value;
    }
    if (request.matching && Object.entries(tags).some(([key, value]) => request.matching![key] !== undefined && request.matching![key] !== value)) continue;
    const key = Object.keys(tags).sort().map((k) => `${k}=${tags[k]}`).join(',');
    let series = byTags.get(key);
    if (!series) byTags.set(key, (series = { ...point, tags, points: [] }));
    series.points.push([Number(row.time), row.value ?? null]);
  }
  return [...byTags.values()];
}
