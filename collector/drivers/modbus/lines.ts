import type { Logger } from 'pino';
import type { ModbusLine } from './types.js';
import { ModbusLineClient } from './line-client.js';

/** One client per physical line, so devices sharing a bus or gateway share its queue. */
export class ModbusLines {
  readonly #clients = new Map<string, ModbusLineClient>();
  constructor(private readonly log: Logger) {}

  for(line: ModbusLine): ModbusLineClient {
    let client = this.#clients.get(line.key);
    if (!client) {
      client = new ModbusLineClient(line, this.log.child({ line: line.key }));
      this.#clients.set(line.key, client);
    }
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
  }
}
