import type { DriverRuntime } from './driver-runtime.js';
import { modbusDriver } from './modbus/index.js';
import { snmpDriver } from './snmp/index.js';

/** What a driver is, as far as this registry's users are concerned. */
export type Driver = DriverRuntime;

/** Every protocol driver, one line each. The order is the order of messages (snmp, then modbus). */
export const DRIVERS = [snmpDriver, modbusDriver] as const satisfies readonly Driver[];

/** The driver with this id (a template's `driver:`); templates are validated, so an unknown id is a bug. */
export function driverFor(id: string): Driver {
  const driver = DRIVERS.find((d) => d.id === id);
  if (!driver) throw new Error(`no driver "${id}"; known: ${DRIVERS.map((d) => d.id).join(', ')}`);
  return driver;
}
