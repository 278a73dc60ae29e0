import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { addDays, isIsoDate, localDate } from '../reports/local-time.js';
import { renderHtml } from '../reports/inspection/render-html.js';
import { LANGS, type Lang } from '../reports/inspection/texts.js';
import { inspectionReceivers, mailInspection, makeInspection, writeReport } from './inspection.js';

export const REPORT_INSPECTION_USAGE =
  'roomwatch report inspection --config FILE [--date YYYY-MM-DD] --out FILE.html [--mail] [--lang zh-CN|en]\n' +
  '  the daily inspection report (巡检报告) of one local day (default: yesterday in reports.timezone);\n' +
  '  --mail also sends it to reports.inspection.receivers, each in its own language unless --lang';

function usageError(problem: string): number {
  process.stderr.write(`roomwatch report inspection: ${problem}\n${REPORT_INSPECTION_USAGE}\n`);
  return 2;
}

export async function reportInspectionCommand(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { config: { type: 'string' }, date: { type: 'string' }, out: { type: 'string' }, mail: { type: 'boolean', default: false }, lang: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (!values.config) return usageError('--config FILE is required');
  if (!values.out) return usageError('--out FILE.html is required');
  if (values.date !== undefined && !isIsoDate(values.date)) return usageError(`--date "${values.date}": expected a calendar date YYYY-MM-DD, e.g. 2026-12-01`);
  if (values.lang !== undefined && !LANGS.includes(values.lang as Lang)) return usageError(`--lang "${values.lang}": expected zh-CN or en`);
  const loaded = loadConfig(values.config, process.env, { apiToken: false });
  if (!loaded.ok) {
    process.stderr.write(`${loaded.issues.map(formatIssue).join('\n')}\n${loaded.issues.length} problem(s) in the configuration\n`);
    return 2;
  }
  const config = loaded.config;
  const now = Date.now();
  const date = values.date ?? addDays(localDate(now, config.reports.timezone), -1);
  const receivers = inspectionReceivers(config);
  if (values.mail && !receivers.length) return usageError('--mail: reports.inspection.receivers names no e-mail receiver');
  const lang = (values.lang as Lang | undefined) ?? (receivers[0]?.language === 'en' ? 'en' : 'zh-CN');
  try {
    const report = await makeInspection(config, date, now);
    const out = resolve(values.out);
    writeReport(out, renderHtml(report, lang));
    process.stdout.write(`inspection report ${date} written to ${out}\n`);
    if (values.mail) {
      await mailInspection(report, receivers, values.lang as Lang | undefined);
      process.stdout.write(`mailed to ${receivers.map((r) => r.id).join(', ')}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`roomwatch report inspection: ${(error as Error).message}\n`);
    return 1;
  }
}
