import { parseArgs } from 'node:util';
import { alertsCommand, ALERTS_USAGE } from './alerts.js';
import { demoCommand } from './demo.js';
import { mockCommand, MOCK_USAGE } from './mock.js';
import { probeCommand, PROBE_USAGE } from './probe.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';

const USAGE = `roomwatch: power and environment monitoring for computer rooms

usage:
  roomwatch run --config FILE        poll the configured devices into InfluxDB
  roomwatch validate --config FILE   check the configuration; exit 0 if valid, 1 otherwise
  roomwatch demo [--scenario NAME]   influxd + simulated room + daemon (see ./demo.sh)
  ${PROBE_USAGE.split('\n').join('\n  ')}
  ${MOCK_USAGE.split('\n').join('\n  ')}
  ${ALERTS_USAGE.split('\n').join('\n  ')}
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const configFlag = () => parseArgs({ args: rest, options: { config: { type: 'string', short: 'c' } }, strict: true }).values.config;
  switch (command) {
    case 'run': {
      const config = configFlag();
      if (!config) break;
      return runCommand(config);
    }
    case 'validate': {
      const config = configFlag();
      if (!config) break;
      return validateCommand(config);
    }
    case 'probe':
      return probeCommand(rest);
    case 'mock':
      return mockCommand(rest);
    case 'demo':
      return demoCommand(rest);
    case 'alerts':
      return alertsCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`roomwatch: unknown command "${command}"\n\n`);
  }
  process.stderr.write(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`roomwatch: ${(error as Error).message}\n`);
    process.exit(error instanceof TypeError && /parseArgs|option/i.test((error).message) ? 2 : 1);
  },
);
