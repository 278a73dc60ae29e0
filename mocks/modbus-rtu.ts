import { SerialPort } from 'serialport';
import { answerPdu, type SlaveLookup } from './modbus-tcp-server.js';
import { TcpListener } from './tcp-listener.js';

/** Modbus CRC-16 (polynomial 0xA001 reflected, initial 0xFFFF), sent low byte first. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >> 1) ^ 0xa001 : crc >> 1;
  }
  return crc;
}

export function withCrc(frame: Buffer): Buffer {
  const out = Buffer.alloc(frame.length + 2);
  frame.copy(out);
  out.writeUInt16LE(crc16(frame), frame.length);
  return out;
}

/**
 * Cuts a byte stream into RTU request frames. Read requests (FC1–FC6) are always 8 bytes; anything
 * else is taken as a frame once the line has been quiet for `silenceMs` (the RTU 3.5-character
 * rule, generously rounded). Frames with a bad CRC are dropped, as a real slave does.
 */
export class RtuFramer {
  #pending: Buffer = Buffer.alloc(0);
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly onFrame: (frame: Buffer) => void, private readonly silenceMs = 5) {}

  push(chunk: Buffer): void {
    this.#pending = Buffer.concat([this.#pending, chunk]);
    clearTimeout(this.#timer);
    while (this.#pending.length >= 8 && this.#pending[1]! >= 1 && this.#pending[1]! <= 6) {
      this.#emit(this.#pending.subarray(0, 8));
      this.#pending = this.#pending.subarray(8);
    }
    if (this.#pending.length) {
      this.#timer = setTimeout(() => {
        this.#emit(this.#pending);
        this.#pending = Buffer.alloc(0);
      }, this.silenceMs);
    }
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  #emit(frame: Buffer): void {
    if (frame.length < 4) return;
    if (frame.readUInt16LE(frame.length - 2) !== crc16(frame.subarray(0, -2))) return;
    this.onFrame(Buffer.from(frame.subarray(0, -2)));
  }
}

/** Answers one RTU request (without CRC) for the slaves; undefined when nobody should answer. */
export function answerRtu(slaves: SlaveLookup, request: Buffer): Buffer | undefined {
  const unitId = request[0]!;
  const bank = slaves.bank(unitId);
  const behaviour = slaves.behaviour?.(unitId) ?? 'normal';
  if (!bank || behaviour === 'silent' || unitId === 0) return undefined;
  if (behaviour === 'garbage') return Buffer.from([unitId, request[1]!, 0x40, 0xde, 0xad]);
  return withCrc(Buffer.concat([Buffer.from([unitId]), answerPdu(bank, request.subarray(1))]));
}

/** Slaves on a serial line (e.g. the simulator's end of a socat pseudo-terminal pair). */
export class ModbusRtuSerialSlave {
  #port: SerialPort | undefined;
  #framer: RtuFramer | undefined;

  constructor(private readonly path: string, private readonly slaves: SlaveLookup, private readonly baudRate = 9600) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
      const framer = new RtuFramer((frame) => {
        const reply = answerRtu(this.slaves, frame);
        if (reply) port.write(reply);
      });
      port.on('data', (chunk: Buffer) => framer.push(chunk));
      port.on('error', () => undefined);
      port.open((error) => (error ? reject(error) : resolve()));
      this.#port = port;
      this.#framer = framer;
    });
  }

  close(): Promise<void> {
    this.#framer?.stop();
    const port = this.#port;
    return new Promise((resolve) => (port?.isOpen ? port.close(() => resolve()) : resolve()));
  }
}

/** A serial-to-Ethernet gateway: RTU frames (with CRC) carried over TCP to the slaves behind it. */
export class ModbusRtuOverTcpGateway extends TcpListener {
  constructor(slaves: SlaveLookup) {
    super((socket) => {
      const framer = new RtuFramer((frame) => {
        const reply = answerRtu(slaves, frame);
        if (reply) socket.write(reply);
      });
      socket.on('data', (chunk: Buffer) => framer.push(chunk));
      socket.on('close', () => framer.stop());
    });
  }
}
