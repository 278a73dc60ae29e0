import type { DeviceTemplate, TemplatePoint } from '../../common/contracts/device.js';
import { HEALTH_MEASUREMENT } from '../../common/contracts/poll.js';
import { ALERT_STATUS_MEASUREMENT } from '../../common/contracts/stored.js';
import { influxDuration } from '../../common/config/units.js';
import { LONG_TERM_POLICY, RAW_POLICY } from './policies.js';

/** How a field's values in one downsampling window become the one long-term value. */
export type Aggregate = 'mean' | 'last' | 'max' | 'min';

export interface DownsampleField {
  field: string;
  aggregate: Aggregate;
}

/** Fields to downsample per measurement, each with its aggregate; fields sorted by name. */
export type DownsamplePlan = ReadonlyMap<string, readonly DownsampleField[]>;

/** Where and how often: the database and the downsampling window (`influx.downsample_interval`). */
export interface DownsampleTarget {
  database: string;
  intervalMs: number;
}

export interface ContinuousQuery {
  name: string;
  /** The `SELECT ... INTO ... GROUP BY time(X), *` between BEGIN and END. */
  query: string;
}

/** Every roomwatch CQ is named this plus its measurement, so stale ones can be found and dropped. */
export const CQ_PREFIX = 'roomwatch_downsample_';
/** The single `mean(*)` CQ of earlier versions, which renamed every field `mean_<field>`. */
export const LEGACY_CQ = 'roomwatch_downsample';

// Points roomwatch writes itself, beside the templates' (collector/health.ts, alerting/status-points.ts).
// Down anywhere in the window must show as down; an alert anywhere in the window must show.
const OWN_FIELDS: ReadonlyMap<string, readonly DownsampleField[]> = new Map([
  [HEALTH_MEASUREMENT, [
    { field: 'comms', aggregate: 'min' },
    { field: 'poll_duration_ms', aggregate: 'mean' },
    { field: 'points_read', aggregate: 'mean' },
    { field: 'points_missing', aggregate: 'mean' },
  ]],
  [ALERT_STATUS_MEASUREMENT, [
    { field: 'active', aggregate: 'max' },
    { field: 'unacknowledged', aggregate: 'max' },
  ]],
]);

/**
 * The aggregate of a template point, or undefined for text (a mean of text does not exist, and
 * text such as an active alarm's name belongs to the raw window). Enumerations keep the last
 * state: the mean of "on line" and "on battery" is no state. 0/1 alarms and flags keep the
 * maximum, so an alarm anywhere in the window shows.
 */
export function aggregateOf(point: TemplatePoint): Aggregate | undefined {
  if ('valueType' in point && point.valueType === 'string') return undefined;
  if ('type' in point && point.type === 'string') return undefined;
  if (point.valueNames) return undefined;
  if (point.unit === 'bool' || ('type' in point && (point.type === 'bit' || point.type === 'bool'))) return 'max';
  if (point.states || point.unit === 'enum') return 'last';
  return 'mean';
}

// When templates disagree on a field of a shared measurement, the more careful reading wins:
// text is never averaged, a state is never averaged, an alarm flag keeps its maximum.
const PRECEDENCE: Record<Aggregate | 'text', number> = { text: 4, last: 3, max: 2, min: 1, mean: 0 };

/** The plan for the loaded templates plus roomwatch's own measurements. */
export function downsamplePlan(templates: Iterable<DeviceTemplate>): DownsamplePlan {
  const chosen = new Map<string, Map<string, Aggregate | 'text'>>();
  for (const [measurement, fields] of OWN_FIELDS) chosen.set(measurement, new Map(fields.map((f) => [f.field, f.aggregate])));
  for (const template of templates) {
    for (const point of template.points) {
      const fields = chosen.get(point.measurement) ?? new Map<string, Aggregate | 'text'>();
      chosen.set(point.measurement, fields);
      const aggregate = aggregateOf(point) ?? 'text';
      const before = fields.get(point.field);
      if (before === undefined || PRECEDENCE[aggregate] > PRECEDENCE[before]) fields.set(point.field, aggregate);
    }
  }
  const plan = new Map<string, DownsampleField[]>();
  for (const measurement of [...chosen.keys()].sort()) {
    const fields = [...chosen.get(measurement)!]
      .filter((entry): entry is [string, Aggregate] => entry[1] !== 'text')
      .map(([field, aggregate]) => ({ field, aggregate }))
      .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
    if (fields.length) plan.set(measurement, fields);
  }
  return plan;
}

/**
 * One continuous query per measurement, keeping the field names (`mean("a") AS "a"`), so a
 * dashboard reads `long_term` with the same query as `raw`. `GROUP BY *` keeps every tag.
 */
export function continuousQueries(plan: DownsamplePlan, target: DownsampleTarget): ContinuousQuery[] {
  return [...plan].map(([measurement, fields]) => ({ name: `${CQ_PREFIX}${measurement}`, query: statement(measurement, fields, target, '') }));
}

/**
 * The same statements for a past range [fromMs, toMs), run directly: fills `long_term` for a
 * window without waiting for influxd's CQ scheduler (tests, a backfill after an outage).
 * Bounds should fall on window boundaries, as the scheduler's do.
 */
export function downsampleRange(plan: DownsamplePlan, target: DownsampleTarget, fromMs: number, toMs: number): string[] {
  const where = ` WHERE time >= ${Math.trunc(fromMs)}ms AND time < ${Math.trunc(toMs)}ms`;
  return [...plan].map(([measurement, fields]) => statement(measurement, fields, target, where));
}

function statement(measurement: string, fields: readonly DownsampleField[], target: DownsampleTarget, where: string): string {
  const select = fields.map(({ field, aggregate }) => `${aggregate}(${quote(field)}) AS ${quote(field)}`).join(', ');
  const db = quote(target.database);
  const m = quote(measurement);
  return `SELECT ${select} INTO ${db}.${quote(LONG_TERM_POLICY)}.${m} FROM ${db}.${quote(RAW_POLICY)}.${m}${where} GROUP BY time(${influxDuration(target.intervalMs)}), *`;
}

/** An InfluxQL identifier in double quotes (names come from templates: any character may occur). */
export function quote(identifier: string): string {
  return `"${identifier.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Whether influxd's stored form of a CQ (SHOW CONTINUOUS QUERIES: `CREATE CONTINUOUS QUERY ...
 * BEGIN <query> END`, re-printed by influxd with its own quoting) is the statement we would create.
 */
export function sameQuery(stored: string, wanted: string): boolean {
  const body = /\bBEGIN\s+([\s\S]*)\s+END\s*$/i.exec(stored)?.[1] ?? stored;
  return normalize(body) === normalize(wanted);
}

function normalize(query: string): string {
  return query.replace(/"/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}
