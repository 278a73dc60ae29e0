/** `roomwatch report inspection`: placeholder until the inspection report lands (issue 10, in progress). */
export const REPORT_INSPECTION_USAGE = 'roomwatch report inspection --config FILE ... (not built yet)';

export function reportInspectionCommand(_args: string[]): Promise<number> {
  process.stderr.write('roomwatch report inspection: not built yet\n');
  return Promise.resolve(2);
}
