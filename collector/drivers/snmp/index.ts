import { snmpConfig } from './config.js';

export const snmpDriver = snmpConfig;
