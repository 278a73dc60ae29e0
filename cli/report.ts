import { REPORT_FAULTS_USAGE, reportFaultsCommand } from './report-faults.js';
import { REPORT_INSPECTION_USAGE, reportInspectionCommand } from './report-inspection.js';

/** `roomwatch report KIND ...`: one line per report kind. */
const REPORTS: Record<string, { usage: string; run: (args: string[]) => Promise<number> }> = {
  faults: { usage: REPORT_FAULTS_USAGE, run: reportFaultsCommand },
  inspection: { usage: REPORT_INSPECTION_USAGE, run: reportInspectionCommand },
};

export const REPORT_USAGE = Object.values(REPORTS).map((r) => r.usage).join('\n');

export async function reportCommand(args: string[]): Promise<number> {
  const [kind, ...rest] = args;
  const report = kind === undefined ? undefined : REPORTS[kind];
  if (!report) {
    process.stderr.write(`roomwatch report: expected one of ${Object.keys(REPORTS).join(', ')}${kind === undefined ? '' : `, not "${kind}"`}\n\n${REPORT_USAGE}\n`);
    return 2;
  }
  return report.run(rest);
}
