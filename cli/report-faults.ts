import { parseArgs } from 'node:util';
import { loadConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { parsePeriod, PeriodError } from '../reports/faults/period.js';
import { parseDimensions } from '../reports/faults/report.js';
import { readFaultReport } from '../reports/faults/service.js';
import { FaultHistoryStore, HistoryUnavailable } from '../reports/faults/store.js';
import { faultReportText, type Lang } from '../reports/faults/text.js';

export const REPORT_FAULTS_USAGE = `roomwatch report faults --config FILE --from D [--to D] [--by category,severity,site,room,device_type] [--lang zh-CN|en] [--json]
  fault statistics from the alert history in InfluxDB: faults (an incident once), MTTA, MTTR, resolution rate, 环比 and 同比, noisy devices
  D is a local day YYYY-MM-DD or a month YYYY-MM in reports.timezone; --to is inclusive (--from 2025-01-01 --to 2025-01-31 = --from 2025-01)`;

const LANGS: readonly Lang[] = ['zh-CN', 'en'];

function usageError(message: string): number {
  process.stderr.write(`roomwatch report faults: ${message}\n\n${REPORT_FAULTS_USAGE}\n`);
  return 2;
}

/** `roomwatch report faults`: reads InfluxDB directly (the daemon need not run). Exit 2 for bad arguments, 1 when InfluxDB cannot be read. */
export async function reportFaultsCommand(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { config: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, by: { type: 'string' }, lang: { type: 'string', default: 'zh-CN' }, json: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (!values.config) return usageError('--config FILE is required');
  if (!values.from) return usageError('--from D is required (YYYY-MM-DD or YYYY-MM)');
  if (!LANGS.includes(values.lang as Lang)) return usageError(`--lang "${values.lang}": expected zh-CN or en`);
  let period;
  try {
    period = parsePeriod(values.from, values.to);
  } catch (error) {
    if (error instanceof PeriodError) return usageError(`--${error.message}`);
    throw error;
  }
  const by = parseDimensions(values.by);
  if ('error' in by) return usageError(`--${by.error}`);
  const loaded = loadConfig(values.config, process.env, { apiToken: false });
  if (!loaded.ok) {
    for (const issue of loaded.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`${loaded.issues.length} problem(s) in the configuration\n`);
    return 2;
  }
  const { config } = loaded;
  try {
    const report = await readFaultReport(new FaultHistoryStore(config.influx), config.reports, period, by);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : faultReportText(report, values.lang as Lang));
    return 0;
  } catch (error) {
    if (!(error instanceof HistoryUnavailable)) throw error;
    process.stderr.write(`roomwatch report faults: cannot read the alert history: ${error.message}\n`);
    return 1;
  }
}
