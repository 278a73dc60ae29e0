import type { DeviceSpec, DriverTargets } from '../../../common/contracts/device.js';
import { modbusSimulator } from './modbus.js';
import type { SimulatorServer } from './server.js';
import { snmpSimulator } from './snmp.js';

/**
 * Every driver's simulator server, in the driver registry's order (snmp, modbus), which is also
 * the order of the counts in the simulator's banner. A new driver adds one line here.
 */
export const SIMULATOR_SERVERS = [snmpSimulator, modbusSimulator] as const satisfies readonly SimulatorServer[];

// A driver without a simulator server would leave its devices silently unserved: make it a type error.
type Unserved = Exclude<keyof DriverTargets, (typeof SIMULATOR_SERVERS)[number]['driver']>;
const everyDriverServed: [Unserved] extends [never] ? true : Unserved = true;
void everyDriverServed;

/** The simulator server for a device's driver, if this machine can serve the device; else undefined. */
export function simulatorServerFor(spec: DeviceSpec): SimulatorServer | undefined {
  const server = SIMULATOR_SERVERS.find((s) => s.driver === spec.template.driver);
  return server?.serves(spec) ? server : undefined;
}
