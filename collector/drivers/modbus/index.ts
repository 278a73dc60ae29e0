import { modbusConfig } from './config.js';
import { modbusRuntime } from './runtime.js';

/** The Modbus driver: how its devices, buses and points are configured, and how they are read. */
export const modbusDriver = { ...modbusConfig, ...modbusRuntime };
