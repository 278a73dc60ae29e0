import type { DeviceSpec } from '../../common/contracts/device.js';
import { POWER_ROLE_LABEL } from '../../common/contracts/stored.js';
import type { SimClock } from './clock.js';
import { FaultSet, type FaultKind } from './faults.js';
import { RoomModel, type SimDevice } from './room-model.js';
import { SIMULATOR_SERVERS, simulatorServerFor } from './servers/registry.js';
import { closeAll, type RunningServers } from './servers/server.js';

/** An IT-load meter carries this share of what the incomer does: PUE 1.6, a typical small room's. */
const IT_LOAD_SHARE = 1 / 1.6;

/**
 * How many servers of each kind a simulator runs, for logs and the demo banner: `devices`, then
 * each driver's counts in registry order (snmpAgents, modbusTcpServers, rtuGateways, serialLines).
 */
export type SimulatorSummary = { devices: number } & Readonly<Record<string, number>>;

/**
 * Serves every device of a roomwatch configuration that lives on this machine (loopback hosts and
 * serial lines), each with the protocol and layout its template describes, from one room model.
 * The daemon and the simulator read the same file, so what roomwatch polls is what is served.
 * Which devices a driver can serve, and how, is its simulator server's business (servers/).
 */
export class RoomSimulator {
  readonly faults = new FaultSet();
  readonly model: RoomModel;
  readonly devices: SimDevice[];
  readonly #specs: DeviceSpec[];
  readonly #running: RunningServers[] = [];

  constructor(config: { devices: readonly DeviceSpec[] }, readonly clock: SimClock, seed: number) {
    this.#specs = config.devices.filter((spec) => simulatorServerFor(spec) !== undefined);
    this.devices = this.#specs.map((spec) => ({
      id: spec.id,
      room: spec.room,
      site: spec.site,
      category: spec.template.category,
      // A property of the installed unit, not of the MIB: RFC 1628 serves one- and three-phase UPSs alike.
      phases: Number(spec.tags.phases ?? 1),
      powerShare: spec.tags[POWER_ROLE_LABEL] === 'it_load' ? IT_LOAD_SHARE : 1,
      behindUps: spec.tags[POWER_ROLE_LABEL] === 'it_load',
    }));
    this.model = new RoomModel(seed, this.devices, this.faults, clock.now());
  }

  async start(): Promise<SimulatorSummary> {
    let summary: SimulatorSummary = { devices: this.#specs.length };
    for (const server of SIMULATOR_SERVERS) {
      const served = this.#specs.flatMap((spec, i) => (spec.template.driver === server.driver ? [{ spec, sim: this.devices[i]! }] : []));
      const running = await server.start(served, this.model, this.clock);
      this.#running.push(running);
      summary = { ...summary, ...running.summary };
    }
    return summary;
  }

  async stop(): Promise<void> {
    await closeAll(this.#running.splice(0).map((running) => () => running.close()));
  }

  inject(kind: FaultKind, target: string, durationMs?: number, at = this.clock.now()): void {
    this.faults.add({ kind, target, since: at, until: durationMs === undefined ? undefined : at + durationMs });
  }
}
