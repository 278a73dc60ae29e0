import type { Socket } from 'node:net';
import { TcpListener } from './tcp-listener.js';

/** The four Modbus data tables of one slave. */
export interface RegisterBank {
  coils: Uint8Array;
  discreteInputs: Uint8Array;
  holding: Uint16Array;
  input: Uint16Array;
}

export function createBank(size = 1024): RegisterBank {
  return { coils: new Uint8Array(size), discreteInputs: new Uint8Array(size), holding: new Uint16Array(size), input: new Uint16Array(size) };
}

/** How a simulated slave answers: properly, not at all, or with bytes that are not Modbus. */
export type SlaveBehaviour = 'normal' | 'silent' | 'garbage';

export interface SlaveLookup {
  bank(unitId: number): RegisterBank | undefined;
  behaviour?(unitId: number): SlaveBehaviour;
}

const ILLEGAL_FUNCTION = 1;
const ILLEGAL_DATA_ADDRESS = 2;
const ILLEGAL_DATA_VALUE = 3;

/**
 * Answers one Modbus request PDU (function code + data) from a register bank; returns the reply
 * PDU. Protocol-true where simulators often are not: unknown function codes get exception 01,
 * a quantity out of range 03, addresses past the bank 02.
 */
export function answerPdu(bank: RegisterBank, pdu: Buffer): Buffer {
  const fc = pdu[0]!;
  const exception = (code: number) => Buffer.from([fc | 0x80, code]);
  if (fc < 1 || fc > 4) return exception(ILLEGAL_FUNCTION);
  if (pdu.length < 5) return exception(ILLEGAL_DATA_VALUE);
  const start = pdu.readUInt16BE(1);
  const quantity = pdu.readUInt16BE(3);
  const bits = fc <= 2;
  if (quantity < 1 || quantity > (bits ? 2000 : 125)) return exception(ILLEGAL_DATA_VALUE);
  const table = fc === 1 ? bank.coils : fc === 2 ? bank.discreteInputs : fc === 3 ? bank.holding : bank.input;
  if (start + quantity > table.length) return exception(ILLEGAL_DATA_ADDRESS);
  if (bits) {
    const bytes = Buffer.alloc(Math.ceil(quantity / 8));
    for (let i = 0; i < quantity; i++) if (table[start + i]) bytes[i >> 3]! |= 1 << (i & 7);
    return Buffer.concat([Buffer.from([fc, bytes.length]), bytes]);
  }
  const reply = Buffer.alloc(2 + quantity * 2);
  reply[0] = fc;
  reply[1] = quantity * 2;
  for (let i = 0; i < quantity; i++) reply.writeUInt16BE(table[start + i]!, 2 + i * 2);
  return reply;
}

/**
 * A Modbus TCP server for simulated devices. Written here rather than using modbus-serial's
 * ServerTCP, which defers every request with setTimeout(0) (~740 requests/s per connection,
 * ../shared/DECISIONS.md), never answers an unknown function code and answers oversize reads with
 * the wrong exception. This one answers in the same tick and can also stay silent or send garbage.
 */
export class ModbusTcpServer extends TcpListener {
  constructor(private readonly slaves: SlaveLookup) {
    super((socket) => this.#serve(socket));
  }

  #serve(socket: Socket): void {
    socket.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      // MBAP: transaction (2), protocol (2), length (2, counts unit id + PDU), unit id (1).
      while (pending.length >= 7) {
        const length = pending.readUInt16BE(4);
        if (length < 2 || length > 254) {
          socket.destroy();
          return;
        }
        if (pending.length < 6 + length) break;
        const frame = pending.subarray(0, 6 + length);
        pending = pending.subarray(6 + length);
        this.#answer(socket, frame);
      }
    });
  }

  #answer(socket: Socket, frame: Buffer): void {
    const unitId = frame[6]!;
    const bank = this.slaves.bank(unitId);
    const behaviour = this.slaves.behaviour?.(unitId) ?? 'normal';
    if (!bank || behaviour === 'silent') return;
    if (behaviour === 'garbage') {
      socket.write(Buffer.from([frame[0]!, frame[1]!, 0, 0, 0, 9, unitId, 0x03, 0xff, 0x13, 0x37]));
      return;
    }
    const reply = answerPdu(bank, frame.subarray(7));
    const header = Buffer.alloc(7);
    frame.copy(header, 0, 0, 4);
    header.writeUInt16BE(reply.length + 1, 4);
    header[6] = unitId;
    socket.write(Buffer.concat([header, reply]));
  }
}
