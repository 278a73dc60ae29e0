/**
 * Which Modbus TCP server the simulators use, by measurement: modbus-serial's ServerTCP against
 * mocks/modbus-tcp-server.ts, each in its own process, read by one modbus-serial client over one
 * connection (FC4, 64 registers, back to back) for a few seconds.
 *
 *   npm run build && node dist/bench/modbus-server.js [seconds=5]
 */
import { join } from 'node:path';
import modbusSerial from 'modbus-serial';
import type { ModbusRTU } from 'modbus-serial/ModbusRTU.js';
import { projectRoot } from '../common/config/project-root.js';
import { Child } from '../mocks/child.js';
import { createBank, ModbusTcpServer } from '../mocks/modbus-tcp-server.js';

const seconds = Number(process.argv[2] ?? 5);

if (process.argv[3] === 'serve') {
  // Child mode: serve with the named implementation and print the port.
  const kind = process.argv[4];
  let port: number;
  if (kind === 'ours') {
    port = await new ModbusTcpServer({ bank: () => createBank(1024) }).listen();
  } else {
    const { ServerTCP } = modbusSerial as unknown as { ServerTCP: new (vector: object, options: object) => { on(e: string, f: () => void): void } };
    port = 15999;
    const server = new ServerTCP({ getInputRegister: (addr: number) => addr & 0xffff, getHoldingRegister: (addr: number) => addr & 0xffff }, { host: '127.0.0.1', port, unitID: 1 });
    await new Promise<void>((resolve) => server.on('initialized', resolve));
  }
  process.stdout.write(`port ${port}\n`);
} else {
  const results: Record<string, number> = {};
  for (const kind of ['modbus-serial ServerTCP', 'ours']) {
    const child = new Child(process.execPath, [join(projectRoot(), 'dist', 'bench', 'modbus-server.js'), String(seconds), 'serve', kind === 'ours' ? 'ours' : 'modbus-serial']);
    await child.waitFor(/port \d+/);
    const port = Number(/port (\d+)/.exec(child.output)![1]);
    const client = new (modbusSerial as unknown as new () => ModbusRTU)();
    await client.connectTCP('127.0.0.1', { port });
    client.setID(1);
    client.setTimeout(2000);
    let requests = 0;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      await client.readInputRegisters(0, 64);
      requests++;
    }
    client.close(() => undefined);
    await child.stop();
    results[kind] = Math.round(requests / seconds);
  }
  process.stdout.write(`${JSON.stringify({ requests_per_s_one_connection: results }, null, 2)}\n`);
}
