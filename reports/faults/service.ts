import type { ReportsSettings } from '../config.js';
import type { Period } from './period.js';
import { faultReport, reportSpans, type Dimension, type FaultReport } from './report.js';
import type { FaultHistoryStore } from './store.js';

/** The fault report of a period, read from the alert history: the three periods in one query. */
export async function readFaultReport(store: Pick<FaultHistoryStore, 'read'>, reports: ReportsSettings, period: Period, by: readonly Dimension[]): Promise<FaultReport> {
  const spans = reportSpans(period, reports.timezone);
  const rows = await store.read([spans.current, spans.previous, spans.yearAgo]);
  return faultReport({ rows, period, timeZone: reports.timezone, limits: reports.faults, by });
}
