/** `roomwatch report faults`: placeholder until the faults report lands (issue 10, in progress). */
export const REPORT_FAULTS_USAGE = 'roomwatch report faults --config FILE ... (not built yet)';

export function reportFaultsCommand(_args: string[]): Promise<number> {
  process.stderr.write('roomwatch report faults: not built yet\n');
  return Promise.resolve(2);
}
