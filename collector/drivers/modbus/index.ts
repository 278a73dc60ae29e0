import { modbusConfig } from './config.js';

export const modbusDriver = modbusConfig;
