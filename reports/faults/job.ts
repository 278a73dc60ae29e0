import type { Logger } from 'pino';
import type { ReportsSettings } from '../config.js';
import { dailyStats, daysToRecompute } from './daily.js';
import { addDays, compareDates, formatDate, localDateAt, startOfDay, type LocalDate } from './period.js';
import { FaultHistoryStore, type HistoryConnection } from './store.js';

/** Days recomputed at start: a daemon down over a weekend catches up on it. */
const DAYS_AT_START = 7;
/** How far back an acknowledgement or resolution still rewrites its fault's day. */
const MAX_DAYS_BACK = 62;

export interface FaultStatsJobDeps {
  influx: HistoryConnection;
  reports: ReportsSettings;
  log: Logger;
  now?: () => number;
}

/**
 * The daemon's fault_stats writer: every reports.faults.stats_interval it recomputes the days
 * that can still change and writes them (same series and timestamp: a rewrite replaces). InfluxDB
 * down is logged once and tried again next interval; it never throws into the daemon.
 */
export class FaultStatsJob {
  readonly name = 'fault-stats';
  readonly #store: FaultHistoryStore;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** Acknowledgements and resolutions since this instant rewrite their faults' days; undefined before the first run. */
  #since: number | undefined;
  #failing = false;

  constructor(private readonly deps: FaultStatsJobDeps) {
    this.#store = new FaultHistoryStore(deps.influx);
    this.#now = deps.now ?? Date.now;
  }

  start(): void {
    this.#running = this.runOnce();
    this.#timer = setInterval(() => {
      if (!this.#running) this.#running = this.runOnce();
    }, this.deps.reports.faults.statsIntervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One pass; resolves when written or failed (logged). */
  async runOnce(): Promise<void> {
    const { timezone, faults } = this.deps.reports;
    const now = this.#now();
    try {
      const lookBackFrom = this.#since ?? startOfDay(addDays(localToday(now, timezone), -DAYS_AT_START), timezone);
      // The follow-ups since the last pass say which older days changed; then those days are read in full.
      const recent = await this.#store.read([{ fromMs: lookBackFrom, toMs: now + 1 }]);
      let days = daysToRecompute(recent, lookBackFrom, now, timezone, MAX_DAYS_BACK);
      if (this.#since === undefined) days = mergeDays(days, lastDays(now, timezone, DAYS_AT_START));
      const first = days[0]!;
      const rows = await this.#store.read([{ fromMs: startOfDay(first, timezone), toMs: now + 1 }]);
      const points = dailyStats(rows, days, timezone, faults);
      await this.#store.writeStats(points);
      this.#since = now;
      if (this.#failing) this.deps.log.info({ points: points.length }, 'fault_stats written again');
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) this.deps.log.warn({ err: (error as Error).message, retryInMs: faults.statsIntervalMs }, 'fault_stats not written; trying again next interval');
      this.#failing = true;
    } finally {
      this.#running = undefined;
    }
  }
}

function localToday(now: number, timeZone: string): LocalDate {
  return localDateAt(now, timeZone);
}

function lastDays(now: number, timeZone: string, back: number): LocalDate[] {
  const today = localToday(now, timeZone);
  return Array.from({ length: back + 1 }, (_, i) => addDays(today, i - back));
}

function mergeDays(a: LocalDate[], b: LocalDate[]): LocalDate[] {
  const all = new Map([...a, ...b].map((d) => [formatDate(d), d]));
  return [...all.values()].sort(compareDates);
}
