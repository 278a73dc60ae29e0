import { snmpRuntime } from './runtime.js';

export const snmpDriver = snmpRuntime;
