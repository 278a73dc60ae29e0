import modbusSerial from 'modbus-serial';
import type { ModbusRTU as Client } from 'modbus-serial/ModbusRTU.js';
import type { Logger } from 'pino';
import type { ModbusFunction, ModbusLine } from './types.js';
import { guardListeners } from '../listener-guard.js';

/** A request failed in a way a retry on a fresh connection may fix (timeout, garbage, socket closed). */
export class ModbusTransportError extends Error {}

/** The slave answered with a Modbus exception; the connection is fine. */
export class ModbusExceptionError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

// modbus-serial is CommonJS whose typings declare an ES default export; under NodeNext the
// default import is the constructor itself, typed here by hand.
const ModbusRTU = modbusSerial as unknown as new () => Client;

/**
 * One physical line (TCP connection, RS-485 bus or serial gateway) shared by every device on it.
 * modbus-serial neither serialises requests on a port nor resynchronises after a bad frame
 * (../shared/DECISIONS.md), so this class does both: one request at a time through a queue, a
 * silent gap between frames, and a fresh connection after any timeout or framing error.
 */
export class ModbusLineClient {
  #client: Client | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #lastFrameAt = -Infinity;
  #closed = false;

  constructor(readonly line: ModbusLine, private readonly log: Logger) {}

  /** Reads `count` registers or bits; queued behind every other request on this line. */
  read(unitId: number, fc: ModbusFunction, start: number, count: number, timeoutMs: number): Promise<number[] | boolean[]> {
    const job = this.#queue.then(() => this.#readNow(unitId, fc, start, count, timeoutMs));
    this.#queue = job.catch(() => undefined);
    return job;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    this.#drop();
  }

  async #readNow(unitId: number, fc: ModbusFunction, start: number, count: number, timeoutMs: number): Promise<number[] | boolean[]> {
    if (this.#closed) throw new ModbusTransportError('line closed');
    // Monotonic: with Date.now(), a wall clock stepped back would hold the line for the step.
    const wait = this.#lastFrameAt + this.line.interFrameDelayMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      const client = await this.#connect(timeoutMs);
      client.setID(unitId);
      client.setTimeout(timeoutMs);
      // modbus-serial cancels its own timer as soon as a frame arrives for the transaction; should
      // it then fail on that frame without calling back, this deadline still frees the line's queue.
      const deadline = `${this.line.key}: no result ${2 * timeoutMs} ms after the request`;
      switch (fc) {
        case 1:
          return (await withTimeout(client.readCoils(start, count), 2 * timeoutMs, deadline)).data.slice(0, count);
        case 2:
          return (await withTimeout(client.readDiscreteInputs(start, count), 2 * timeoutMs, deadline)).data.slice(0, count);
        case 3:
          return (await withTimeout(client.readHoldingRegisters(start, count), 2 * timeoutMs, deadline)).data;
        case 4:
          return (await withTimeout(client.readInputRegisters(start, count), 2 * timeoutMs, deadline)).data;
      }
    } catch (error) {
      const modbusCode = (error as { modbusCode?: number }).modbusCode;
      if (typeof modbusCode === 'number') throw new ModbusExceptionError(modbusCode, (error as Error).message);
      // After a timeout or a bad frame the byte stream may be out of step: start over.
      this.#drop();
      throw new ModbusTransportError(`${this.line.key}: ${(error as Error).message}`);
    } finally {
      this.#lastFrameAt = performance.now();
    }
  }

  async #connect(timeoutMs: number): Promise<Client> {
    if (this.#client?.isOpen) return this.#client;
    this.#drop();
    const client = new ModbusRTU();
    // modbus-serial reports socket faults as events; without a listener they would crash the daemon.
    client.on('error', (error: unknown) => this.log.debug({ line: this.line.key, err: error }, 'modbus line error'));
    const { line } = this;
    const connecting = (() => {
      switch (line.transport) {
        case 'tcp':
          return client.connectTCP(line.host!, { port: line.port!, timeout: timeoutMs });
        case 'rtu-over-tcp':
          return client.connectTelnet(line.host!, { port: line.port!, timeout: timeoutMs });
        case 'rtu':
          return client.connectRTUBuffered(line.serialPath!, {
            baudRate: line.baudRate,
            parity: line.parity,
            dataBits: line.dataBits,
            stopBits: line.stopBits,
          });
      }
    })();
    this.#client = client;
    this.#guardPort(client);
    await withTimeout(connecting, timeoutMs, `${line.key}: connect timed out after ${timeoutMs} ms`);
    return client;
  }

  /**
   * modbus-serial parses replies inside its socket's (or serial port's) "data" listener: a throw
   * there would leave the event loop. None is known in 8.0.25 (test/integration/hostile-modbus),
   * so this is a guard against the next: a throw drops the connection like any framing error.
   */
  #guardPort(client: Client): void {
    const socket = (client as unknown as { _port?: { _client?: import('node:events').EventEmitter } })._port?._client;
    if (!socket || typeof socket.listeners !== 'function') return;
    guardListeners(socket, 'data', (error) => {
      this.log.warn({ line: this.line.key, err: error instanceof Error ? error.message : String(error) }, 'modbus-serial failed on a reply; reconnecting');
      if (this.#client === client) this.#drop();
    });
  }

  #drop(): void {
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    try {
      client.close(() => undefined);
    } catch {
      // already closed
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
