import { parseArgs } from 'node:util';
import { alertsCommand, ALERTS_USAGE } from './alerts.js';
import { DASHBOARDS_USAGE, dashboardsCommand } from './dashboards.js';
import { demoCommand } from './demo.js';
import { mockCommand, MOCK_USAGE } from './mock.js';
import { probeCommand, PROBE_USAGE } from './probe.js';
import { reloadCommand, RELOAD_USAGE } from './reload.js';
import { reportCommand, REPORT_USAGE } from './report.js';
import { runCommand } from './run.js';
import { tokenCommand, TOKEN_USAGE } from './token.js';
import { validateCommand } from './validate.js';

const RUN_USAGE = `roomwatch run --config FILE
  poll the configured devices into InfluxDB and evaluate alerts until SIGINT/SIGTERM;
  SIGHUP reloads FILE (refused, with the running configuration kept, if it has any problem or
  moves spool.dir, alerting.state_dir, api.listen, api.token, api.tls or traps.listen: those need a restart)`;
const VALIDATE_USAGE = `roomwatch validate --config FILE
  check the whole configuration; exit 0 if valid, 1 listing every problem as file:line:column`;
const DEMO_USAGE = `roomwatch demo [--scenario NAME]... [--room FILE]
  influxd + simulated room + daemon on config/demo/roomwatch.yaml (see ./demo.sh); --room FILE runs
  the demo on another roomwatch configuration instead: the simulator serves its devices, the daemon polls them`;

/** Each command's own usage, printed by `roomwatch COMMAND --help` and after a bad option. */
const COMMAND_USAGE: Record<string, string> = {
  run: RUN_USAGE,
  validate: VALIDATE_USAGE,
  demo: DEMO_USAGE,
  probe: PROBE_USAGE,
  mock: MOCK_USAGE,
  alerts: ALERTS_USAGE,
  reload: RELOAD_USAGE,
  report: REPORT_USAGE,
  dashboards: DASHBOARDS_USAGE,
  token: TOKEN_USAGE,
};

const indent = (text: string) => text.split('\n').join('\n  ');
const USAGE = `roomwatch: power and environment monitoring for computer rooms

usage:
  ${Object.values(COMMAND_USAGE).map(indent).join('\n  ')}

roomwatch COMMAND --help shows one command's usage.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const usage = command === undefined ? undefined : COMMAND_USAGE[command];
  // Before the command parses its options: "--help" is not one of them, and must never fail.
  if (usage && rest.some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    return await dispatch(command, rest);
  } catch (error) {
    if (!usage || !String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) throw error;
    process.stderr.write(`roomwatch ${command}: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
}

async function dispatch(command: string | undefined, rest: string[]): Promise<number> {
  const configFlag = () => parseArgs({ args: rest, options: { config: { type: 'string', short: 'c' } }, strict: true }).values.config;
  switch (command) {
    case 'run': {
      const config = configFlag();
      if (!config) return missingConfig('run', RUN_USAGE);
      return runCommand(config);
    }
    case 'validate': {
      const config = configFlag();
      if (!config) return missingConfig('validate', VALIDATE_USAGE);
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
    case 'reload':
      return reloadCommand(rest);
    case 'report':
      return reportCommand(rest);
    case 'dashboards':
      return dashboardsCommand(rest);
    case 'token':
      return tokenCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`roomwatch: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function missingConfig(command: string, usage: string): number {
  process.stderr.write(`roomwatch ${command}: --config FILE is required\n\n${usage}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Bad options are answered in main() with the command's usage; this is anything else.
    process.stderr.write(`roomwatch: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
