import type { InfluxDB } from 'influx';
import { influxClient } from '../../common/influx-client.js';
import { literal, rowsOf, type RawResult } from '../influx-query.js';
import type { Secret } from '../../common/config/secret.js';
import { ALERT_EVENTS_MEASUREMENT } from '../../common/contracts/alert-event.js';
import { FAULT_STATS_MEASUREMENT } from '../../common/contracts/stored.js';
import type { FaultStatsPoint } from './daily.js';
import type { EventRow } from './faults.js';

/** Where the alert history is (the influxdb: section as compiled; the sink writes it). */
export interface HistoryConnection {
  url: string;
  database: string;
  username?: string;
  password?: Secret;
  timeoutMs: number;
}

/** alert_events and fault_stats live in the long retention policy of the alert history. */
export const EVENTS_POLICY = 'events';

/** InfluxDB did not answer, or refused: said without credentials. */
export class HistoryUnavailable extends Error {}

export type HistoryRow = EventRow & { ack_after_s?: number | null; duration_s?: number | null };

/** InfluxDB's answer to a query (epoch=ms: times are numbers), each statement's result or error. */
interface RawResponse {
  results?: RawResult[];
}

/** Which alert_events rows to list (GET /api/history): tag values compared exactly, times as [fromMs, toMs). */
export interface EventFilter {
  site?: string;
  room?: string;
  device?: string;
  category?: string;
  severity?: string;
  /** One alert's (or incident's) rows: alert_id is a field every row has. */
  alertId?: string;
  fromMs?: number;
  toMs?: number;
  limit: number;
}

/** One alert_events row as listed: its time, tags and fields by name; absent ones null. */
export type EventListRow = Record<(typeof LISTED)[number], string | number | null> & { time: number };

/** What a history listing shows of each row: what happened, where, and the figures. */
const LISTED = [
  'event', 'fault', 'incident', 'alert_id', 'rule', 'category', 'severity', 'site', 'room', 'device', 'device_type',
  'site_name', 'room_name', 'device_name', 'value', 'duration_s', 'ack_after_s', 'ack_by', 'reason', 'members',
] as const;

/** A span to read: openings and flapping in [fromMs, toMs), acknowledgements and resolutions from fromMs on. */
export interface ReadSpan {
  fromMs: number;
  toMs: number;
}

const FROM = `"${EVENTS_POLICY}"."${ALERT_EVENTS_MEASUREMENT}"`;

/**
 * The tags and fields the fault figures use (HistoryRow), not `*`: alert rows carry every label
 * of their device and alert, which the figures never read. alert_id is a field every row has,
 * so no row drops out for lacking the others.
 */
const COLUMNS = [
  'event', 'fault', 'incident', 'alert_id', 'category', 'severity', 'site', 'room', 'device', 'device_type',
  'site_name', 'room_name', 'device_name', 'members', 'reason', 'ack_after_s', 'duration_s',
].map((c) => `"${c}"`).join(', ');

/**
 * The spans as the fewest disjoint ranges. InfluxQL 1.x answers nothing to time ranges joined by
 * OR, so each disjoint range is its own statement (of one request); overlapping or touching spans
 * (a period and the one before it; a year's 环比 and 同比, which are the same year) become one.
 */
export function disjointRanges(spans: readonly ReadSpan[]): ReadSpan[] {
  const sorted = [...spans].sort((a, b) => a.fromMs - b.fromMs);
  const ranges: ReadSpan[] = [];
  for (const { fromMs, toMs } of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && fromMs <= last.toMs) last.toMs = Math.max(last.toMs, toMs);
    else ranges.push({ fromMs, toMs });
  }
  return ranges;
}

/**
 * Reads alert_events and writes fault_stats. Its own small client, as reports/ reads what the
 * sink (collector/) wrote without depending on it. Time literals are epoch milliseconds (`…ms`),
 * so no zone is involved in the query; tag values compare as strings.
 */
export class FaultHistoryStore {
  readonly #influx: InfluxDB;

  constructor(private readonly connection: HistoryConnection) {
    this.#influx = influxClient({ ...connection, password: connection.password?.reveal() });
  }

  /**
   * The rows the spans need, each row once even where spans overlap: openings and flapping of
   * each span, acknowledgements and resolutions from the earliest span's start on (a follow-up
   * counts only after an opening inside some span, and the earliest start bounds them all).
   */
  async read(spans: readonly ReadSpan[]): Promise<HistoryRow[]> {
    if (!spans.length) return [];
    const ms = (n: number) => `${String(Math.floor(n))}ms`;
    const queries = disjointRanges(spans).map(
      ({ fromMs, toMs }) => `SELECT ${COLUMNS} FROM ${FROM} WHERE ("event" = 'opened' OR "event" = 'flapping') AND time >= ${ms(fromMs)} AND time < ${ms(toMs)}`,
    );
    const earliest = Math.min(...spans.map((s) => s.fromMs));
    queries.push(`SELECT ${COLUMNS} FROM ${FROM} WHERE ("event" = 'acknowledged' OR "event" = 'resolved') AND time >= ${ms(earliest)}`);
    const raw = (await this.#call(() => this.#influx.queryRaw(queries, { precision: 'ms' }))) as RawResponse;
    const rows = new Map<string, HistoryRow>();
    for (const result of raw.results ?? []) {
      // Before the sink's first write there is no database or events policy: no history, not a failure.
      if (result.error && !/database not found|retention policy not found|not executed/i.test(result.error)) {
        throw new HistoryUnavailable(`InfluxDB ${this.connection.url} (database ${this.connection.database}): ${result.error}`);
      }
      for (const row of rowsOf(result) as unknown as HistoryRow[]) {
        rows.set(`${row.time}|${row.alert_id ?? ''}|${row.event ?? ''}|${row.fault ?? ''}`, row);
      }
    }
    return [...rows.values()];
  }

  /**
   * The rows matching a filter, newest first. Filter values are compared as string literals
   * (escaped by `literal`), so a value never becomes InfluxQL; the route checks their shape too.
   */
  async events(filter: EventFilter): Promise<EventListRow[]> {
    const where: string[] = [];
    for (const key of ['site', 'room', 'device', 'category', 'severity'] as const) {
      const value = filter[key];
      if (value !== undefined) where.push(`"${key}" = ${literal(value)}`);
    }
    if (filter.alertId !== undefined) where.push(`"alert_id" = ${literal(filter.alertId)}`);
    if (filter.fromMs !== undefined) where.push(`time >= ${Math.floor(filter.fromMs)}ms`);
    if (filter.toMs !== undefined) where.push(`time < ${Math.floor(filter.toMs)}ms`);
    const columns = LISTED.map((c) => `"${c}"`).join(', ');
    const statement = `SELECT ${columns} FROM ${FROM}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC LIMIT ${Math.floor(filter.limit)}`;
    const raw = (await this.#call(() => this.#influx.queryRaw(statement, { precision: 'ms' }))) as RawResponse;
    const result = raw.results?.[0] ?? {};
    if (result.error && !/database not found|retention policy not found/i.test(result.error)) {
      throw new HistoryUnavailable(`InfluxDB ${this.connection.url} (database ${this.connection.database}): ${result.error}`);
    }
    return rowsOf(result) as EventListRow[];
  }

  /** fault_stats points; the same series and timestamp as before replace the earlier point. */
  async writeStats(points: readonly FaultStatsPoint[]): Promise<void> {
    if (!points.length) return;
    await this.#call(() =>
      this.#influx.writePoints(
        points.map((p) => ({
          measurement: FAULT_STATS_MEASUREMENT,
          // An empty tag value is not line protocol: a tag with no value (roomwatch's own faults have no room) is left out.
          tags: Object.fromEntries(Object.entries(p.tags).filter(([, v]) => v !== '')),
          fields: p.fields,
          timestamp: new Date(p.time),
        })),
        { retentionPolicy: EVENTS_POLICY, precision: 'ms' },
      ),
    );
  }

  async #call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new HistoryUnavailable(`InfluxDB ${this.connection.url} (database ${this.connection.database}): ${(error as Error).message}`);
    }
  }
}
