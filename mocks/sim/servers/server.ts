import type { DeviceSpec, DriverTargets } from '../../../common/contracts/device.js';
import type { SimClock } from '../clock.js';
import type { RoomModel, SimDevice } from '../room-model.js';

/** A configured device and its place in the room model: what a simulator server serves. */
export interface ServedDevice {
  spec: DeviceSpec;
  sim: SimDevice;
}

/** The servers one driver's simulator runs, until `close`. */
export interface RunningServers {
  close(): Promise<void>;
  /** How many servers of each kind it started, e.g. `{ snmpAgents: 3 }`; zeros included, so the banner's keys never change. */
  readonly summary: Readonly<Record<string, number>>;
}

/**
 * One driver's side of the simulator: which configured devices it can serve on this machine and
 * how. The room simulator owns the model and the faults; a server only lays the model's values
 * out the way its protocol and the device's template expect.
 */
export interface SimulatorServer<Driver extends keyof DriverTargets = keyof DriverTargets> {
  /** The driver id of the templates it serves (`template.driver`). */
  readonly driver: Driver;
  /** Whether this machine can serve the device: a loopback address, or a serial line it can fake. */
  serves(spec: DeviceSpec): boolean;
  /** Starts serving `devices` (all of this driver and served; possibly none) from `model` at `clock`'s time. */
  start(devices: readonly ServedDevice[], model: RoomModel, clock: SimClock): Promise<RunningServers>;
}

/** Hosts a simulator can listen on: the daemon and the simulator share the machine. */
export const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Closes what was started, in order, every one even when an earlier close throws (the first error is rethrown). */
export async function closeAll(closers: ReadonlyArray<() => Promise<void> | void>): Promise<void> {
  const failures: unknown[] = [];
  for (const close of closers) {
    try {
      await close();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length) throw failures[0];
}
