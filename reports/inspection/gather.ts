import { ALERT_EVENTS_MEASUREMENT } from '../../common/contracts/alert-event.js';
import { ident, type Query, type Row } from '../influx-query.js';
import { localDay } from '../local-time.js';
import { statePoints, statPoints, type InspectionSetup } from './plan.js';

/** Buckets of the day's trend charts. */
export const TREND_BUCKET_MS = 30 * 60_000;
/** Fields drawn as a trend: room temperature, UPS load, meter power. */
export const TREND_FIELDS = ['temperature', 'output_load', 'power_active_total', 'power_active'] as const;

/** What InfluxDB holds about one local day, as rows; model.ts makes the report of it. */
export interface GatheredDay {
  date: string;
  start: number;
  end: number;
  /** Per measurement: min/max/mean/first/last of each field as `<field>__min` ..., one row per series. */
  stats: Map<string, Row[]>;
  /** Per measurement: `<field>` means per TREND_BUCKET_MS, one row per series and bucket. */
  trends: Map<string, Row[]>;
  /** Per measurement and state field: `last` and each `distinct` value, one row per series. */
  states: Map<string, { last: Row[]; seen: Row[] }>;
  /** device_health points with comms = 0 (polls that got no answer). */
  down: Row[];
  /** Every alert event from the start of the day until now (acknowledgements may come after midnight). */
  events: Row[];
}

const range = (start: number, end: number) => `time >= ${start}ms AND time < ${end}ms`;

export async function gatherDay(query: Query, setup: InspectionSetup, date: string, now: number): Promise<GatheredDay> {
  const { start, end } = localDay(date, setup.timezone);
  const where = range(start, end);
  const statFields = new Map<string, Set<string>>();
  const stateFields = new Map<string, Set<string>>();
  for (const device of setup.devices) {
    for (const p of statPoints(device)) (statFields.get(p.measurement) ?? statFields.set(p.measurement, new Set()).get(p.measurement)!).add(p.field);
    for (const p of statePoints(device)) (stateFields.get(p.measurement) ?? stateFields.set(p.measurement, new Set()).get(p.measurement)!).add(p.field);
  }
  const statements: string[] = [];
  const readers: Array<(rows: Row[]) => void> = [];
  const add = (statement: string, read: (rows: Row[]) => void) => (statements.push(statement), readers.push(read));
  const day: GatheredDay = { date, start, end, stats: new Map(), trends: new Map(), states: new Map(), down: [], events: [] };

  for (const [measurement, fields] of statFields) {
    const columns = [...fields].flatMap((f) => ['min', 'max', 'mean', 'first', 'last'].map((fn) => `${fn}(${ident(f)}) AS ${ident(`${f}__${fn}`)}`));
    add(`SELECT ${columns.join(', ')} FROM ${ident(measurement)} WHERE ${where} GROUP BY *`, (rows) => day.stats.set(measurement, rows));
    const trended = [...fields].filter((f) => (TREND_FIELDS as readonly string[]).includes(f));
    if (trended.length) {
      const means = trended.map((f) => `mean(${ident(f)}) AS ${ident(f)}`).join(', ');
      add(`SELECT ${means} FROM ${ident(measurement)} WHERE ${where} GROUP BY time(${TREND_BUCKET_MS / 60_000}m), * fill(none)`, (rows) => day.trends.set(measurement, rows));
    }
  }
  for (const [measurement, fields] of stateFields) {
    for (const field of fields) {
      const key = `${measurement}|${field}`;
      const entry = { last: [] as Row[], seen: [] as Row[] };
      day.states.set(key, entry);
      add(`SELECT last(${ident(field)}) AS "last" FROM ${ident(measurement)} WHERE ${where} GROUP BY *`, (rows) => (entry.last = rows));
      add(`SELECT distinct(${ident(field)}) AS "value" FROM ${ident(measurement)} WHERE ${where} GROUP BY *`, (rows) => (entry.seen = rows));
    }
  }
  add(`SELECT "comms" FROM "device_health" WHERE "comms" = 0 AND ${where} GROUP BY "device"`, (rows) => (day.down = rows));
  add(`SELECT * FROM "events".${ident(ALERT_EVENTS_MEASUREMENT)} WHERE ${range(start, Math.max(end, now))}`, (rows) => (day.events = rows));

  const results = await query(statements);
  results.forEach((rows, i) => readers[i]!(rows));
  return day;
}
