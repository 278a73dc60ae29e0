import type { DriverConfig } from './driver-config.js';
import type { DriverRuntime } from './driver-runtime.js';
import { modbusDriver } from './modbus/index.js';
import { snmpDriver } from './snmp/index.js';

/**
 * Every protocol driver, one line each. The order is the order of messages and schema keys
 * (a device's sections, "expected one of" lists): snmp, then modbus.
 */
export const DRIVERS = [snmpDriver, modbusDriver] as const satisfies readonly Driver[];

/**
 * A driver as generic code sees it: how its devices and points are configured (config half) and
 * how they are read and probed (runtime half); its own target and point types are widened to the
 * contract's.
 */
export type Driver = DriverConfig & DriverRuntime;

export type DriverId = (typeof DRIVERS)[number]['id'];

const byId = new Map<string, Driver>(DRIVERS.map((driver) => [driver.id, driver]));

/** The driver a template names. Template and device schemas only admit registered ids, so a miss is a bug. */
export function driverFor(id: string): Driver {
  const driver = byId.get(id);
  if (!driver) throw new Error(`no driver "${id}" is registered; drivers are: ${[...byId.keys()].join(', ')}`);
  return driver;
}
