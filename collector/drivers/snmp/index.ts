import { snmpConfig } from './config.js';
import { snmpRuntime } from './runtime.js';

/** The SNMP driver: how its devices and points are configured, and how they are read. */
export const snmpDriver = { ...snmpConfig, ...snmpRuntime };
