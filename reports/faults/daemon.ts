import type { Logger } from 'pino';
import type { ReportsSettings } from '../config.js';
import { FaultStatsJob } from './job.js';
import type { Period } from './period.js';
import type { Dimension, FaultReport } from './report.js';
import { readFaultReport } from './service.js';
import { FaultHistoryStore, type HistoryConnection } from './store.js';

/**
 * The fault statistics as the daemon runs them: the fault_stats job (a component, started and
 * stopped with the others; 'degraded', as statistics are no reason to stop monitoring) and the
 * report the API answers with.
 */
export function faultStatistics(config: { influx: HistoryConnection; reports: ReportsSettings }, log: Logger): {
  job: FaultStatsJob & { onStartFailure: 'degraded' };
  report: (period: Period, by: readonly Dimension[]) => Promise<FaultReport>;
  /** alert_events rows for the API's history and timelines, through the same store. */
  events: FaultHistoryStore['events'];
} {
  const store = new FaultHistoryStore(config.influx);
  const job = Object.assign(new FaultStatsJob({ influx: config.influx, reports: config.reports, log: log.child({ component: 'fault-stats' }) }), { onStartFailure: 'degraded' as const });
  return { job, report: (period, by) => readFaultReport(store, config.reports, period, by), events: (filter) => store.events(filter) };
}
