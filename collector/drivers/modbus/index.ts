import { modbusRuntime } from './runtime.js';

export const modbusDriver = modbusRuntime;
