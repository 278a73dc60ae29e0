import { InfluxDB, type IPoint } from 'influx';
import type { Logger } from 'pino';
import type { Secret } from '../../common/config/secret.js';
import { influxDuration } from '../../common/config/units.js';
import { ALERT_EVENTS_MEASUREMENT, type AlertEventRecord } from '../../common/contracts/alert-event.js';
import type { Reading } from '../../common/contracts/reading.js';
import { eventToPoint, readingsToPoints } from './points.js';
import type { Spool, StoredPoint } from './spool.js';

export interface InfluxSettings {
  url: string;
  database: string;
  username?: string;
  password?: Secret;
  batchSize: number;
  flushIntervalMs: number;
  timeoutMs: number;
  rawRetentionMs: number;
  longTermRetentionMs: number;
  eventsRetentionMs: number;
  downsampleIntervalMs: number;
}

export const RAW_POLICY = 'raw';
export const LONG_TERM_POLICY = 'long_term';
/** Alert events, kept for years and never downsampled (the continuous query reads only `raw`). */
export const EVENTS_POLICY = 'events';

export interface SinkStatus {
  reachable: boolean;
  lastError?: string;
  writtenPoints: number;
  spooledPoints: number;
  spoolBytes: number;
  droppedPoints: number;
  /** Points of batches InfluxDB refused (HTTP 400), set aside in the spool's rejected/ directory. */
  rejectedPoints: number;
}

/** HTTP 400 from InfluxDB 1.x: bad line protocol or a field type conflict, never cured by a retry. */
function isRefusedBatch(error: unknown): boolean {
  const status = (error as { res?: { statusCode?: number } }).res?.statusCode;
  return status === 400 && !/database not found/i.test((error as Error).message);
}

/**
 * Writes readings to InfluxDB 1.x. Every batch goes through the on-disk spool first and one
 * writer drains it oldest first, so order is kept, an outage only makes the spool grow, and a
 * restart resumes where the last run stopped. A segment is removed only after InfluxDB accepted
 * it; if the daemon dies between the two, the segment is written again, which InfluxDB absorbs
 * because a point with the same series and timestamp overwrites itself (no duplicates).
 */
export class InfluxSink {
  readonly #influx: InfluxDB;
  #buffer: StoredPoint[] = [];
  #timer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #stopping = false;
  #schemaReady = false;
  #status: SinkStatus = { reachable: false, writtenPoints: 0, spooledPoints: 0, spoolBytes: 0, droppedPoints: 0, rejectedPoints: 0 };

  constructor(private readonly settings: InfluxSettings, private readonly spool: Spool, private readonly log: Logger) {
    const url = new URL(settings.url);
    this.#influx = new InfluxDB({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 8086)),
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      database: settings.database,
      username: settings.username,
      password: settings.password?.reveal(),
      pool: { maxRetries: 0, requestTimeout: settings.timeoutMs },
    });
  }

  start(): void {
    this.spool.open();
    this.#timer = setInterval(() => this.flush(), this.settings.flushIntervalMs);
    this.#draining = this.#drainLoop();
  }

  write(readings: readonly Reading[]): void {
    for (const point of readingsToPoints(readings)) this.#buffer.push(point);
    if (this.#buffer.length >= this.settings.batchSize) this.flush();
  }

  /** An alert event, for the events retention policy; it goes through the spool like readings. */
  writeEvent(record: AlertEventRecord): void {
    this.#buffer.push(eventToPoint(ALERT_EVENTS_MEASUREMENT, EVENTS_POLICY, record));
    if (this.#buffer.length >= this.settings.batchSize) this.flush();
  }

  /** Moves buffered points to the spool (durable from here on) and wakes the writer. */
  flush(): void {
    while (this.#buffer.length) {
      const batch = this.#buffer.splice(0, this.settings.batchSize);
      this.spool.append(batch);
    }
    this.#wake?.();
  }

  status(): SinkStatus {
    return { ...this.#status, spooledPoints: this.spool.pendingPoints, spoolBytes: this.spool.bytes, droppedPoints: this.spool.droppedPoints };
  }

  /** Flushes to the spool and gives the writer `graceMs` to send what it can; the rest waits on disk. */
  async stop(graceMs = 2000): Promise<void> {
    clearInterval(this.#timer);
    this.flush();
    const deadline = performance.now() + graceMs;
    while (!this.spool.isEmpty && this.#status.reachable && performance.now() < deadline) await sleep(50);
    this.#stopping = true;
    this.#wake?.();
    await this.#draining;
  }

  async #drainLoop(): Promise<void> {
    let backoffMs = 500;
    while (!this.#stopping) {
      const segment = this.spool.isEmpty ? undefined : this.spool.peek();
      if (!segment) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      try {
        await this.#ensureSchema();
        await this.#writeSegment(segment.points);
        this.spool.remove(segment.id);
        this.#status.writtenPoints += segment.points.length;
        if (!this.#status.reachable) this.log.info({ url: this.settings.url }, 'InfluxDB reachable; writing');
        this.#status.reachable = true;
        this.#status.lastError = undefined;
        backoffMs = 500;
      } catch (error) {
        const message = (error as Error).message;
        if (isRefusedBatch(error)) {
          // InfluxDB answered and will never take this batch: retrying would hold up every batch
          // behind it. It stored what it could parse of a partial write ("dropped=N" counts the
          // rest); the whole batch is set aside in rejected/ so nothing collected is lost.
          const refused = refusedPoints(message, segment.points.length);
          this.spool.reject(segment.id);
          this.#status.rejectedPoints += refused;
          this.#status.reachable = true;
          this.log.error({ url: this.settings.url, err: message, refusedPoints: refused, points: segment.points.length, segment: segment.id }, "InfluxDB refused points of a batch; the batch is kept in the spool's rejected/ directory");
          continue;
        }
        if (/database not found/i.test(message)) this.#schemaReady = false;
        if (this.#status.reachable || this.#status.lastError === undefined) {
          this.log.warn({ url: this.settings.url, err: message, spooledPoints: this.spool.pendingPoints }, 'InfluxDB write failed; points stay in the spool');
        }
        this.#status.reachable = false;
        this.#status.lastError = message;
        await this.#sleepUnlessStopping(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 15_000);
      }
    }
  }

  /**
   * One write per retention policy in the segment (line protocol names no policy). If a later one
   * fails, the whole segment is retried: the ones already written overwrite themselves.
   */
  async #writeSegment(points: readonly StoredPoint[]): Promise<void> {
    const byPolicy = new Map<string | undefined, StoredPoint[]>();
    for (const point of points) {
      const list = byPolicy.get(point.rp) ?? [];
      list.push(point);
      byPolicy.set(point.rp, list);
    }
    for (const [policy, list] of byPolicy) {
      if (policy === undefined) await this.#influx.writePoints(list.map(toIPoint), { precision: 'ms' });
      else await this.#influx.writePoints(list.map(toIPoint), { precision: 'n', retentionPolicy: policy });
    }
  }

  async #sleepUnlessStopping(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        if (this.#stopping) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    this.#wake = undefined;
  }

  /** Database, retention policies and the downsampling continuous query, created once per connection. */
  async #ensureSchema(): Promise<void> {
    if (this.#schemaReady) return;
    const db = this.settings.database;
    await this.#influx.createDatabase(db);
    await this.#policy(RAW_POLICY, this.settings.rawRetentionMs, true);
    await this.#policy(LONG_TERM_POLICY, this.settings.longTermRetentionMs, false);
    await this.#policy(EVENTS_POLICY, this.settings.eventsRetentionMs, false);
    const every = influxDuration(this.settings.downsampleIntervalMs);
    const name = 'roomwatch_downsample';
    const query = `SELECT mean(*) INTO "${db}"."${LONG_TERM_POLICY}".:MEASUREMENT FROM "${db}"."${RAW_POLICY}"./.*/ GROUP BY time(${every}), *`;
    const existing = await this.#influx.showContinousQueries(db);
    const current = existing.find((cq) => cq.name === name);
    if (!current || !current.query.includes(`time(${every})`)) {
      if (current) await this.#influx.dropContinuousQuery(name, db);
      await this.#influx.createContinuousQuery(name, query, db);
    }
    this.#schemaReady = true;
  }

  async #policy(name: string, durationMs: number, isDefault: boolean): Promise<void> {
    const options = { database: this.settings.database, duration: influxDuration(durationMs), replication: 1, isDefault };
    try {
      await this.#influx.createRetentionPolicy(name, options);
    } catch {
      await this.#influx.alterRetentionPolicy(name, options);
    }
  }
}

/** Points lost when InfluxDB answered 400 (its `dropped=N`, else the whole batch); undefined for other failures. */
/** How many points of a refused batch InfluxDB dropped: all of them unless it says otherwise. */
function refusedPoints(message: string, batchPoints: number): number {
  const dropped = /dropped=(\d+)/.exec(message)?.[1];
  return dropped === undefined ? batchPoints : Number(dropped);
}

function toIPoint(point: StoredPoint): IPoint {
  return { measurement: point.m, tags: point.t, fields: point.f, timestamp: point.ns ?? point.ts };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
