import { parseArgs } from 'node:util';

const RUN_USAGE = `roomwatch run --config FILE
  poll the configured devices into InfluxDB and evaluate alerts until SIGINT/SIGTERM;
  SIGHUP reloads FILE (refused, with the running configuration kept, if it has any problem or
  moves spool.dir, alerting.state_dir, api.listen, api.token, api.tls or traps.listen: those need a restart)`;
const VALIDATE_USAGE = `roomwatch validate --config FILE
  check the whole configuration; exit 0 if valid, 1 listing every problem as file:line:column`;
const DEMO_USAGE = `roomwatch demo [--scenario NAME]... [--room FILE]
  influxd + simulated room + daemon on config/demo/roomwatch.yaml (see ./demo.sh); --room FILE runs
  the demo on another roomwatch configuration instead: the simulator serves its devices, the daemon polls them`;

interface Command {
  usage: string;
  run(rest: string[]): number | Promise<number>;
}

/**
 * Each command, loaded when it is the one asked for: a command's module brings its whole part of
 * the daemon (fastify and its plugins, the drivers, the Grafana SDK, the report renderers), and
 * loading them all cost every invocation over a second of CPU before it read its arguments.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => {
    const { runCommand } = await import('./run.js');
    return { usage: RUN_USAGE, run: (rest) => withConfig('run', RUN_USAGE, rest, runCommand) };
  },
  validate: async () => {
    const { validateCommand } = await import('./validate.js');
    return { usage: VALIDATE_USAGE, run: (rest) => withConfig('validate', VALIDATE_USAGE, rest, validateCommand) };
  },
  demo: async () => ({ usage: DEMO_USAGE, run: (await import('./demo.js')).demoCommand }),
  probe: async () => {
    const { probeCommand, PROBE_USAGE } = await import('./probe.js');
    return { usage: PROBE_USAGE, run: probeCommand };
  },
  mock: async () => {
    const { mockCommand, MOCK_USAGE } = await import('./mock.js');
    return { usage: MOCK_USAGE, run: mockCommand };
  },
  alerts: async () => {
    const { alertsCommand, ALERTS_USAGE } = await import('./alerts.js');
    return { usage: ALERTS_USAGE, run: alertsCommand };
  },
  reload: async () => {
    const { reloadCommand, RELOAD_USAGE } = await import('./reload.js');
    return { usage: RELOAD_USAGE, run: reloadCommand };
  },
  report: async () => {
    const { reportCommand, REPORT_USAGE } = await import('./report.js');
    return { usage: REPORT_USAGE, run: reportCommand };
  },
  dashboards: async () => {
    const { dashboardsCommand, DASHBOARDS_USAGE } = await import('./dashboards.js');
    return { usage: DASHBOARDS_USAGE, run: dashboardsCommand };
  },
  token: async () => {
    const { tokenCommand, TOKEN_USAGE } = await import('./token.js');
    return { usage: TOKEN_USAGE, run: tokenCommand };
  },
};

const indent = (text: string) => text.split('\n').join('\n  ');

/** Every command's usage: the one case that loads them all (someone asked for help). */
async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return `roomwatch: power and environment monitoring for computer rooms

usage:
  ${commands.map((c) => indent(c.usage)).join('\n  ')}

roomwatch COMMAND --help shows one command's usage.
`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const load = command === undefined ? undefined : COMMANDS[command];
  if (!load) {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(await usage());
      return 0;
    }
    process.stderr.write(`roomwatch: unknown command "${command}"\n\n${await usage()}`);
    return 2;
  }
  const chosen = await load();
  // Before the command parses its options: "--help" is not one of them, and must never fail.
  if (rest.some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${chosen.usage}\n`);
    return 0;
  }
  try {
    return await chosen.run(rest);
  } catch (error) {
    if (!String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) throw error;
    process.stderr.write(`roomwatch ${command}: ${(error as Error).message}\n\n${chosen.usage}\n`);
    return 2;
  }
}

function withConfig(command: string, commandUsage: string, rest: string[], run: (config: string) => number | Promise<number>): number | Promise<number> {
  const config = parseArgs({ args: rest, options: { config: { type: 'string', short: 'c' } }, strict: true }).values.config;
  return config ? run(config) : missingConfig(command, commandUsage);
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
