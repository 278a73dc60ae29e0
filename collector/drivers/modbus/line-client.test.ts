import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBank, ModbusTcpServer } from '../../../mocks/modbus-tcp-server.js';
import type { ModbusLine } from './types.js';
import { ModbusLineClient } from './line-client.js';

// Against the project's Modbus TCP simulator on loopback (in process).
describe('ModbusLineClient', () => {
  const servers: ModbusTcpServer[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('keeps its gap between frames on the monotonic clock: a wall clock stepped an hour back does not hold the line', async () => {
    const bank = createBank(16);
    bank.input[0] = 215;
    const server = new ModbusTcpServer({ bank: () => bank });
    servers.push(server);
    const port = await server.listen();
    const line: ModbusLine = { key: `tcp:${port}`, transport: 'tcp', host: '127.0.0.1', port, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1, interFrameDelayMs: 20 };
    const client = new ModbusLineClient(line, pino({ level: 'silent' }));
    expect(await client.read(1, 4, 0, 1, 1000)).toEqual([215]);
    const real = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => real() - 3_600_000);
    // With the gap measured on Date.now() this read would wait an hour (and the test time out).
    expect(await client.read(1, 4, 0, 1, 1000)).toEqual([215]);
    await client.close();
  });
});
