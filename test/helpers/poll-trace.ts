import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parse, stringify } from 'yaml';
import { loadConfig, type RoomwatchConfig } from '../../app/config/load.js';
import { PollScheduler } from '../../collector/scheduler.js';
import { openDriverSessions } from '../../collector/drivers/sessions.js';
import { findSecrets, SecretScrubber } from '../../common/config/secret.js';
import { formatIssue } from '../../common/config/yaml-source.js';
import type { PollOutcome } from '../../common/contracts/poll.js';
import { freePort } from '../../mocks/influxd.js';
import { SimClock } from '../../mocks/sim/clock.js';
import { RoomSimulator } from '../../mocks/sim/room-simulator.js';
import { loadScenario, startScenario } from '../../mocks/sim/scenario.js';
import { ROOT } from './processes.js';
import type { FuzzRandom } from './fuzz-random.js';

// A poll trace: what the collector's real readers got from a simulated room, round after round,
// recorded once with real sockets and real timers. Tests replay it into an alert engine under a
// fake clock, in whatever order and at whatever offsets they like: protocol timers (request
// timeouts, inter-frame gaps) never run under a fake clock, which is why the trace comes first.

/** One demo room as a config file: the demo's room-1 devices, on free loopback ports. */
export interface DemoRoom {
  file: string;
  dir: string;
  config: RoomwatchConfig;
}

/**
 * Writes the demo's provincial room (config/demo: site `prov`, room-1 and its devices, SNMP v2c and
 * v3, Modbus TCP and a gateway shared by two units) with every port moved to a free one, polled
 * every `intervalSeconds`, plus an `alerting` section if given.
 */
export async function writeDemoRoom(intervalSeconds: number, alerting?: Record<string, unknown>): Promise<DemoRoom> {
  const demo = parse(readFileSync(join(ROOT, 'config', 'demo', 'roomwatch.yaml'), 'utf8')) as { sites: Array<{ id: string }>; api: { listen: string } };
  const room = parse(readFileSync(join(ROOT, 'config', 'demo', 'devices', 'room-1.yaml'), 'utf8')) as { devices: Array<Record<string, Record<string, unknown>>> };
  // Devices sharing a port in the demo (units behind one gateway) share the new one.
  const ports = new Map<number, number>();
  for (const device of room.devices) {
    const connection = device.snmp ?? device.modbus!;
    const port = connection.port as number;
    if (!ports.has(port)) ports.set(port, await freePort());
    connection.port = ports.get(port)!;
  }
  const dir = mkdtempSync(join(tmpdir(), 'demo-room-'));
  const file = join(dir, 'roomwatch.yaml');
  writeFileSync(
    file,
    stringify({
      influxdb: { url: 'http://127.0.0.1:1', database: 'trace' },
      spool: { dir: 'spool' },
      // The demo's address (nothing listens here in tests): message links read as the demo's do.
      api: { listen: demo.api.listen },
      collector: { default_interval: `${intervalSeconds}s` },
      sites: demo.sites.filter((s) => s.id === 'prov'),
      devices: room.devices,
      ...(alerting ? { alerting } : {}),
    }),
  );
  const loaded = loadConfig(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return { file, dir, config: loaded.config };
}

/** Every device's poll outcome of each round (one array per round, in config order), health readings included. */
export interface PollTrace {
  intervalMs: number;
  /** Simulated time of each round. */
  roundTimes: number[];
  rounds: PollOutcome[][];
}

/**
 * Plays a scenario from mocks/scenarios in a simulated room serving `config`'s devices, with the
 * simulated clock stepped one poll interval per round, and reads every device once per round
 * through the collector's real readers and scheduler (PollScheduler.pollNow: the path the daemon's
 * polls take, health readings added). Stops `afterMs` of simulated time after the scenario starts.
 */
export async function recordTrace(config: RoomwatchConfig, scenarioName: string, afterMs: number, seed = 7): Promise<PollTrace> {
  const intervalMs = config.devices[0]!.intervalMs;
  let wall = Date.UTC(2026, 10, 21, 2);
  const clock = new SimClock(1, wall, () => wall);
  const simulator = new RoomSimulator(config, clock, seed);
  await simulator.start();
  const { scenario, issues } = loadScenario(scenarioName);
  if (!scenario) throw new Error(issues.map(formatIssue).join('\n'));
  startScenario(simulator, scenario);
  // The scenario's own speed is for people watching; here the clock moves only when stepped.
  clock.setScale(1);
  const log = pino({ level: 'silent' });
  const drivers = openDriverSessions({ log, scrubber: new SecretScrubber(findSecrets([config.devices])) });
  let round: PollOutcome[] = [];
  const scheduler = new PollScheduler(
    config.devices.map((spec) => ({ spec, reader: drivers.reader(spec) })),
    { jitter: 0, log, onPoll: (outcome) => round.push(outcome) },
  );
  const trace: PollTrace = { intervalMs, roundTimes: [], rounds: [] };
  const end = clock.now() + afterMs;
  try {
    while (clock.now() <= end) {
      round = [];
      // The outcomes come through onPoll, as the daemon's do: with the health readings added.
      await Promise.all(config.devices.map((d) => scheduler.pollNow(d.id) ?? Promise.reject(new Error(`no reader for ${d.id}`))));
      const byConfigOrder = config.devices.map((d) => round.find((o) => o.device.id === d.id)!);
      trace.rounds.push(byConfigOrder);
      trace.roundTimes.push(clock.now());
      wall += intervalMs;
    }
  } finally {
    await scheduler.stop();
    await drivers.close();
    await simulator.stop();
  }
  return trace;
}

/** One poll outcome handed to the engine `atMs` into its round. */
export interface Slot {
  atMs: number;
  outcome: PollOutcome;
}

/**
 * How the polls of each round are spread over the interval in one run: each device has its own
 * phase in the interval (as the scheduler's random first turn gives it), moved by `jitterMs` each
 * round; the order within a round follows. `phases` fixes some devices' phases (ms into the interval).
 */
export function spreadRounds(trace: PollTrace, random: FuzzRandom, options: { jitterMs: number; phases?: Record<string, number> }): Slot[][] {
  const devices = trace.rounds[0]!.map((o) => o.device.id);
  const last = trace.intervalMs - 1;
  const phase = new Map(devices.map((id) => [id, options.phases?.[id] ?? random.int(trace.intervalMs)]));
  return trace.rounds.map((outcomes) =>
    outcomes
      .map((outcome) => {
        const jitter = (random.next() * 2 - 1) * options.jitterMs;
        return { atMs: Math.min(last, Math.max(0, Math.round(phase.get(outcome.device.id)! + jitter))), outcome };
      })
      .sort((a, b) => a.atMs - b.atMs),
  );
}

/** The outcome as if polled at `time`: the poll's and its readings' timestamps moved there. */
export function retimed(outcome: PollOutcome, time: number): PollOutcome {
  return { ...outcome, time, readings: outcome.readings.map((r) => ({ ...r, time })) };
}
