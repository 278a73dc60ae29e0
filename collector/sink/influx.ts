import type { InfluxDB, IPoint } from 'influx';
import { influxClient } from '../../common/influx-client.js';
import type { Logger } from 'pino';
import type { Secret } from '../../common/config/secret.js';
import { influxDuration } from '../../common/config/units.js';
import { ALERT_EVENTS_MEASUREMENT, type AlertEventRecord } from '../../common/contracts/alert-event.js';
import type { Reading } from '../../common/contracts/reading.js';
import { continuousQueries, CQ_PREFIX, downsamplePlan, LEGACY_CQ, sameQuery, type DownsamplePlan } from './downsample.js';
import type { DisplayNames } from './names.js';
import { EVENTS_POLICY, LONG_TERM_POLICY, RAW_POLICY } from './policies.js';
import { eventToPoint, PointBuilder } from './points.js';
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

/** What the sink stores beyond the readings themselves, from the loaded configuration. */
export interface StoredNames {
  /** Display names added as tags to every reading point (names.ts). */
  names?: DisplayNames;
  /** Per-measurement downsampling into long_term (downsample.ts); without it, only roomwatch's own measurements. */
  downsample?: DownsamplePlan;
}

export { EVENTS_POLICY, LONG_TERM_POLICY, RAW_POLICY } from './policies.js';

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
  readonly #points: PointBuilder;
  readonly #downsample: DownsamplePlan;

  constructor(private readonly settings: InfluxSettings, private readonly spool: Spool, private readonly log: Logger, stored: StoredNames = {}) {
    this.#points = new PointBuilder(stored.names);
    this.#downsample = stored.downsample ?? downsamplePlan([]);
    this.#influx = influxClient({ ...settings, password: settings.password?.reveal() });
  }

  start(): void {
    this.spool.open();
    this.#timer = setInterval(() => this.flush(), this.settings.flushIntervalMs);
    this.#draining = this.#drainLoop();
  }

  write(readings: readonly Reading[]): void {
    for (const point of this.#points.toPoints(readings)) this.#buffer.push(point);
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

  /** Database, retention policies and the downsampling continuous queries, created once per connection. */
  async #ensureSchema(): Promise<void> {
    if (this.#schemaReady) return;
    const db = this.settings.database;
    await this.#influx.createDatabase(db);
    await this.#policy(RAW_POLICY, this.settings.rawRetentionMs, true);
    await this.#policy(LONG_TERM_POLICY, this.settings.longTermRetentionMs, false);
    await this.#policy(EVENTS_POLICY, this.settings.eventsRetentionMs, false);
    await this.#continuousQueries();
    this.#schemaReady = true;
  }

  /**
   * One CQ per measurement (downsample.ts). A CQ cannot be altered: one whose statement changed
   * (a new template, another interval) is dropped and created again; ours that no measurement
   * needs any more, and the old `mean(*)` one, are dropped.
   */
  async #continuousQueries(): Promise<void> {
    const db = this.settings.database;
    const wanted = continuousQueries(this.#downsample, { database: db, intervalMs: this.settings.downsampleIntervalMs });
    // SHOW CONTINUOUS QUERIES lists every database's, one series per database: only ours count.
    const listed = await this.#influx.showContinousQueries(db);
    const existing = new Map((listed.groups().find((g) => g.name === db)?.rows ?? []).map((cq) => [cq.name, cq.query]));
    const keep = new Set(wanted.map((cq) => cq.name));
    for (const name of existing.keys()) {
      if (name === LEGACY_CQ || (name.startsWith(CQ_PREFIX) && !keep.has(name))) await this.#influx.dropContinuousQuery(name, db);
    }
    for (const cq of wanted) {
      const current = existing.get(cq.name);
      if (current !== undefined && sameQuery(current, cq.query)) continue;
      if (current !== undefined) await this.#influx.dropContinuousQuery(cq.name, db);
      await this.#influx.createContinuousQuery(cq.name, cq.query, db);
    }
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
