/**
 * Fault statistics benchmark.
 *  1. The pure core (reports/faults/report.ts) over a synthetic province-scale alert history:
 *     rows/s, ms per monthly and yearly report (each with 环比 and 同比), heap used.
 *  2. End to end against a real influxd filled with that history: the monthly and yearly report
 *     as the API reads them (readFaultReport), and the fault_stats recompute of one day.
 *
 *   npm run build && node dist/bench/reports.js [sites=130] [rooms=2] [devices=30] [faults_per_device_month=0.5]
 *
 * The history is the two calendar years 2025–2026 (Beijing), so the 2026 report has its 同比.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfluxDB, type IPoint } from 'influx';
import { ALERT_EVENTS_MEASUREMENT } from '../common/contracts/alert-event.js';
import { projectRoot } from '../common/config/project-root.js';
import type { ReportsSettings } from '../reports/config.js';
import { dailyStats } from '../reports/faults/daily.js';
import type { EventRow } from '../reports/faults/faults.js';
import { parsePeriod, startOfDay, type Period } from '../reports/faults/period.js';
import { faultReport, reportSpans, DIMENSIONS } from '../reports/faults/report.js';
import { readFaultReport } from '../reports/faults/service.js';
import { EVENTS_POLICY, FaultHistoryStore } from '../reports/faults/store.js';
import { TestInfluxd } from '../mocks/influxd.js';
import { alertHistory } from './alert-history.js';

const [sites = 130, rooms = 2, devices = 30, faultsPerDeviceMonth = 0.5] = process.argv.slice(2).map(Number);
const timeZone = 'Asia/Shanghai';
const hours = (n: number) => n * 3_600_000;
const settings: ReportsSettings = {
  timezone: timeZone,
  faults: {
    resolveWithinMs: { critical: hours(4), major: hours(8), minor: hours(24), warning: hours(72) },
    acknowledgeWithinMs: { critical: hours(0.25), major: hours(0.5), minor: hours(2), warning: hours(8) },
    statsIntervalMs: 300_000,
  },
  inspection: { receivers: [], outDir: '.', nearThreshold: 0.9 },
};
const month = parsePeriod('2026-06', undefined);
const year = parsePeriod('2026-01', '2026-12');
const heapMb = () => Number((process.memoryUsage().heapUsed / 1_048_576).toFixed(1));

const t0 = performance.now();
const records = alertHistory({ sites, roomsPerSite: rooms, devicesPerRoom: devices, faultsPerDeviceMonth, fromMs: startOfDay({ year: 2025, month: 1, day: 1 }, timeZone), toMs: startOfDay({ year: 2027, month: 1, day: 1 }, timeZone) });
const rows: EventRow[] = records.map((r) => ({ ...r.tags, ...r.fields, time: r.time }));
const generateMs = performance.now() - t0;

/** The rows the store would answer for a report of `period` (store.ts read()), so the core sees what it sees in the daemon. */
function rowsFor(period: Period): EventRow[] {
  const spans = Object.values(reportSpans(period, timeZone));
  return rows.filter((row) =>
    spans.some((s) => (row.event === 'opened' || row.event === 'flapping' ? row.time >= s.fromMs && row.time < s.toMs : row.time >= s.fromMs)),
  );
}

/** Mean ms of the core's report over `input`, repeated for at least ~2 s after a warm-up. */
function timeCore(input: EventRow[], period: Period): { ms: number; rows: number; rowsPerS: number } {
  const run = () => faultReport({ rows: input, period, timeZone, limits: settings.faults, by: DIMENSIONS });
  run();
  let runs = 0;
  const start = performance.now();
  while (runs < 3 || performance.now() - start < 2000) {
    run();
    runs++;
  }
  const ms = (performance.now() - start) / runs;
  return { ms: Number(ms.toFixed(1)), rows: input.length, rowsPerS: Math.round(input.length / (ms / 1000)) };
}

// 1. The pure core.
const monthRows = rowsFor(month);
const yearRows = rowsFor(year);
const coreMonth = timeCore(monthRows, month);
const coreYear = timeCore(yearRows, year);
const heapAfterCore = heapMb();

// 2. End to end through a real influxd.
const influxd = new TestInfluxd();
await influxd.start();
const database = 'roomwatch';
const influx = new InfluxDB({ host: '127.0.0.1', port: influxd.port, database });
let writeS = 0;
let endToEnd: { monthMs: number; yearMs: number; dayMs: number; dayPoints: number };
try {
  await influx.createDatabase(database);
  await influx.createRetentionPolicy(EVENTS_POLICY, { duration: 'INF', replication: 1 });
  const w0 = performance.now();
  const batch = 5000;
  for (let i = 0; i < records.length; i += batch) {
    const points: IPoint[] = records.slice(i, i + batch).map((r) => ({
      measurement: ALERT_EVENTS_MEASUREMENT,
      tags: r.tags,
      fields: r.fields,
      // The sink's nanosecond timestamps: two events of one series in one millisecond stay apart.
      timestamp: `${r.time}${String(r.subMs).padStart(6, '0')}`,
    }));
    await influx.writePoints(points, { precision: 'n', retentionPolicy: EVENTS_POLICY });
  }
  writeS = (performance.now() - w0) / 1000;
  const store = new FaultHistoryStore({ url: influxd.url, database, timeoutMs: 300_000 });
  const timed = async (run: () => Promise<unknown>) => {
    // One run each: a repeat would double the run time at province scale for little more precision.
    const start = performance.now();
    await run();
    return Number((performance.now() - start).toFixed(0));
  };
  const monthMs = await timed(() => readFaultReport(store, settings, month, DIMENSIONS));
  const yearMs = await timed(() => readFaultReport(store, settings, year, DIMENSIONS));
  // The job's pass for "today", the last day of the history: read its rows, tally, write fault_stats.
  const day = { year: 2026, month: 12, day: 31 };
  const dayFrom = startOfDay(day, timeZone);
  let dayPoints = 0;
  const dayMs = await timed(async () => {
    const dayRows = await store.read([{ fromMs: dayFrom, toMs: startOfDay({ year: 2027, month: 1, day: 1 }, timeZone) }]);
    const points = dailyStats(dayRows, [day], timeZone, settings.faults);
    dayPoints = points.length;
    await store.writeStats(points);
  });
  endToEnd = { monthMs, yearMs, dayMs, dayPoints };
} finally {
  await influxd.destroy();
}

interface Baseline {
  core_month_ms: number;
  core_year_ms: number;
  core_rows_per_s: number;
  influx_month_ms: number;
  influx_year_ms: number;
  influx_day_recompute_ms: number;
}
const baseline = (JSON.parse(readFileSync(join(projectRoot(), 'bench', 'baseline.json'), 'utf8')) as { reports?: Baseline }).reports;
const ratio = (now: number, then: number | undefined) => (then ? `×${(now / then).toFixed(2)}` : 'no baseline');
process.stdout.write(
  `${JSON.stringify(
    {
      vs_baseline: {
        core_month_ms: ratio(coreMonth.ms, baseline?.core_month_ms),
        core_year_ms: ratio(coreYear.ms, baseline?.core_year_ms),
        core_rows_per_s: ratio(coreYear.rowsPerS, baseline?.core_rows_per_s),
        influx_month_ms: ratio(endToEnd.monthMs, baseline?.influx_month_ms),
        influx_year_ms: ratio(endToEnd.yearMs, baseline?.influx_year_ms),
        influx_day_recompute_ms: ratio(endToEnd.dayMs, baseline?.influx_day_recompute_ms),
      },
      history: { sites, rooms_per_site: rooms, devices_per_room: devices, devices: sites * rooms * devices, rows: rows.length, generate_ms: Math.round(generateMs) },
      core: {
        month: { rows: coreMonth.rows, ms: coreMonth.ms, rows_per_s: coreMonth.rowsPerS },
        year: { rows: coreYear.rows, ms: coreYear.ms, rows_per_s: coreYear.rowsPerS },
        heap_used_mb: heapAfterCore,
        note: 'every report has 环比 and 同比 and all five breakdowns',
      },
      influx: {
        write_rows_per_s: Math.round(rows.length / writeS),
        month_report_ms: endToEnd.monthMs,
        year_report_ms: endToEnd.yearMs,
        day_recompute_ms: endToEnd.dayMs,
        day_points: endToEnd.dayPoints,
      },
    },
    null,
    2,
  )}\n`,
);
