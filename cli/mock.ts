import { parseArgs } from 'node:util';
import { loadConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { SimClock } from '../mocks/sim/clock.js';
import { startControl } from '../mocks/sim/control.js';
import { RoomSimulator } from '../mocks/sim/room-simulator.js';
import { loadScenario, startScenario } from '../mocks/sim/scenario.js';

export const MOCK_USAGE = `roomwatch mock --room FILE [--scenario NAME|FILE]... [--seed N] [--time-scale X] [--control-port P]
  serves every loopback/serial device of the roomwatch config FILE as a simulated device`;

/** `roomwatch mock`: the simulated room, until SIGINT/SIGTERM. */
export async function mockCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      room: { type: 'string' },
      scenario: { type: 'string', multiple: true, default: [] },
      seed: { type: 'string', default: '1' },
      'time-scale': { type: 'string', default: '1' },
      'control-port': { type: 'string', default: '0' },
    },
    strict: true,
  });
  if (!values.room) {
    process.stderr.write(`roomwatch mock: --room is required\n${MOCK_USAGE}\n`);
    return 2;
  }
  const loaded = loadConfig(values.room);
  if (!loaded.ok) {
    for (const issue of loaded.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    return 1;
  }
  const scenarios = [];
  for (const name of values.scenario) {
    const { scenario, issues } = loadScenario(name);
    if (!scenario) {
      for (const issue of issues) process.stderr.write(`${formatIssue(issue)}\n`);
      return 1;
    }
    scenarios.push(scenario);
  }
  const clock = new SimClock(Number(values['time-scale']));
  const simulator = new RoomSimulator(loaded.config, clock, Number(values.seed));
  const summary = await simulator.start();
  const control = await startControl(simulator, Number(values['control-port']));
  for (const scenario of scenarios) startScenario(simulator, scenario);
  process.stdout.write(
    `${JSON.stringify({ event: 'simulator ready', ...summary, control: `http://127.0.0.1:${control.port}`, time_scale: clock.scale, scenarios: scenarios.map((s) => s.name) })}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  control.server.close();
  await simulator.stop();
  return 0;
}
