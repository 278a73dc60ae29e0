import { InfluxDB } from 'influx';
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
  results?: Array<{ error?: string; series?: Array<{ columns: string[]; values: unknown[][] }> }>;
}

/** A span to read: openings and flapping in [fromMs, toMs), acknowledgements and resolutions from fromMs on. */
export interface ReadSpan {
  fromMs: number;
  toMs: number;
}

const FROM = `"${EVENTS_POLICY}"."${ALERT_EVENTS_MEASUREMENT}"`;

/**
 * Reads alert_events and writes fault_stats. Its own small client, as reports/ reads what the
 * sink (collector/) wrote without depending on it. Time literals are epoch milliseconds (`…ms`),
 * so no zone is involved in the query; tag values compare as strings.
 */
export class FaultHistoryStore {
  readonly #influx: InfluxDB;

  constructor(private readonly connection: HistoryConnection) {
    const url = new URL(connection.url);
    this.#influx = new InfluxDB({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 8086)),
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      database: connection.database,
      username: connection.username,
      password: connection.password?.reveal(),
      pool: { maxRetries: 0, requestTimeout: connection.timeoutMs },
    });
  }

  /** The rows the spans need, each row once even where spans overlap. */
  async read(spans: readonly ReadSpan[]): Promise<HistoryRow[]> {
    const queries: string[] = [];
    for (const { fromMs, toMs } of spans) {
      const ms = (n: number) => `${String(Math.floor(n))}ms`;
      queries.push(`SELECT * FROM ${FROM} WHERE ("event" = 'opened' OR "event" = 'flapping') AND time >= ${ms(fromMs)} AND time < ${ms(toMs)}`);
      queries.push(`SELECT * FROM ${FROM} WHERE ("event" = 'acknowledged' OR "event" = 'resolved') AND time >= ${ms(fromMs)}`);
    }
    const raw = (await this.#call(() => this.#influx.queryRaw(queries, { precision: 'ms' }))) as RawResponse;
    const rows = new Map<string, HistoryRow>();
    for (const result of raw.results ?? []) {
      // Before the sink's first write there is no database or events policy: no history, not a failure.
      if (result.error && !/database not found|retention policy not found|not executed/i.test(result.error)) {
        throw new HistoryUnavailable(`InfluxDB ${this.connection.url} (database ${this.connection.database}): ${result.error}`);
      }
      for (const series of result.series ?? []) {
        for (const values of series.values) {
          const row: Record<string, unknown> = {};
          series.columns.forEach((column, i) => (row[column] = values[i]));
          const historyRow = row as unknown as HistoryRow;
          rows.set(`${historyRow.time}|${historyRow.alert_id ?? ''}|${historyRow.event ?? ''}|${historyRow.fault ?? ''}`, historyRow);
        }
      }
    }
    return [...rows.values()];
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
