/**
 * Simulated SDM630 meters for the collector benchmark, run as a separate process so that the
 * simulator's CPU is not counted against the collector. Prints the ports as JSON, then serves.
 *   node dist/bench/sim-meters.js COUNT
 */
import { BUILTIN_TEMPLATE_DIR, loadTemplates } from '../collector/templates/load.js';
import { templateRules } from '../alerting/config/template-rules.js';
import type { ModbusPoint } from '../collector/drivers/modbus/types.js';
import { writePoint } from '../mocks/encode.js';
import { createBank, ModbusTcpServer } from '../mocks/modbus-tcp-server.js';

const count = Number(process.argv[2] ?? 100);
const template = loadTemplates([BUILTIN_TEMPLATE_DIR], templateRules).templates.get('sdm630')!;
const bank = createBank(512);
template.points.forEach((point, i) => writePoint(bank, point as ModbusPoint, 100 + i));
const ports: number[] = [];
for (let i = 0; i < count; i++) ports.push(await new ModbusTcpServer({ bank: () => bank }).listen());
process.stdout.write(`${JSON.stringify(ports)}\n`);
