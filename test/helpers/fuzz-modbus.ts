import type { FuzzRandom } from './fuzz-random.js';

/**
 * What a broken Modbus slave, gateway or line can deliver instead of its true reply, for Modbus
 * TCP (MBAP framing) and RTU over TCP (CRC framing). Structural kinds change one field and keep
 * the framing right (length, CRC), so only that field is wrong; the raw kinds damage bytes.
 */
export const MODBUS_MUTATION_KINDS = [
  'transaction-id',
  'protocol-id',
  'unit-id',
  'function-code',
  'exception',
  'byte-count',
  'register-count',
  'frame-length',
  'crc',
  'truncate',
  'split',
  'extra-bytes',
  'random-bytes',
  'random-frame',
  'reset',
  'duplicate',
  'delayed',
] as const;
export type ModbusMutationKind = (typeof MODBUS_MUTATION_KINDS)[number];
export type Framing = 'mbap' | 'rtu';

const MBAP_ONLY: ReadonlySet<ModbusMutationKind> = new Set(['transaction-id', 'protocol-id', 'frame-length']);
const RTU_ONLY: ReadonlySet<ModbusMutationKind> = new Set(['crc']);

export interface ModbusMutation {
  kind: ModbusMutationKind;
  /** Written in order, each after its delay. */
  chunks: Array<{ bytes: Buffer; delayMs: number }>;
  /** Tear the connection down (with a TCP RST) instead of answering. */
  reset?: boolean;
}

export interface ModbusMutateOptions {
  genuineRepeats: boolean;
  /** Whether this answer may be a connection reset (which ends the burst it belongs to). */
  allowReset: boolean;
  delayMs: readonly [number, number];
}

interface Frame {
  transaction: number;
  protocol: number;
  unit: number;
  fc: number;
  data: Buffer;
}

export function crc16(bytes: Buffer): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

function decode(bytes: Buffer, framing: Framing): Frame | undefined {
  if (framing === 'mbap') {
    if (bytes.length < 8) return undefined;
    return { transaction: bytes.readUInt16BE(0), protocol: bytes.readUInt16BE(2), unit: bytes[6]!, fc: bytes[7]!, data: bytes.subarray(8) };
  }
  if (bytes.length < 4) return undefined;
  return { transaction: 0, protocol: 0, unit: bytes[0]!, fc: bytes[1]!, data: bytes.subarray(2, bytes.length - 2) };
}

function encode(frame: Frame, framing: Framing, overrides: { length?: number; crc?: number } = {}): Buffer {
  const pdu = Buffer.concat([Buffer.from([frame.unit & 0xff, frame.fc & 0xff]), frame.data]);
  if (framing === 'mbap') {
    const header = Buffer.alloc(6);
    header.writeUInt16BE(frame.transaction & 0xffff, 0);
    header.writeUInt16BE(frame.protocol & 0xffff, 2);
    header.writeUInt16BE((overrides.length ?? pdu.length) & 0xffff, 4);
    return Buffer.concat([header, pdu]);
  }
  const crc = Buffer.alloc(2);
  crc.writeUInt16LE((overrides.crc ?? crc16(pdu)) & 0xffff, 0);
  return Buffer.concat([pdu, crc]);
}

/**
 * Cuts complete reply frames off the front of `buffer`; returns them and what is left over.
 * RTU has no length header: a reply's size follows from its function code (and byte count).
 */
export function takeFrames(buffer: Buffer, framing: Framing): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let at = 0;
  for (;;) {
    let size: number | undefined;
    if (framing === 'mbap') {
      if (buffer.length - at >= 6) size = 6 + buffer.readUInt16BE(at + 4);
    } else if (buffer.length - at >= 3) {
      const fc = buffer[at + 1]!;
      size = fc & 0x80 ? 5 : fc <= 4 ? 5 + buffer[at + 2]! : 8;
    }
    if (size === undefined || buffer.length - at < size) break;
    frames.push(buffer.subarray(at, at + size));
    at += size;
  }
  return { frames, rest: buffer.subarray(at) };
}

function damageBytes(bytes: Buffer, random: FuzzRandom): Buffer {
  const out = Buffer.from(bytes);
  for (let n = random.between(1, 4); n > 0 && out.length; n--) out[random.int(out.length)] = random.int(256);
  return out;
}

function damaged(kind: ModbusMutationKind, reply: Buffer, framing: Framing, random: FuzzRandom): Buffer | undefined {
  const frame = decode(reply, framing);
  switch (kind) {
    case 'truncate':
      return reply.subarray(0, random.int(reply.length));
    case 'extra-bytes':
      return Buffer.concat([reply, random.bytes(random.between(1, 16))]);
    case 'random-bytes':
      return damageBytes(reply, random);
    case 'random-frame':
      return random.bytes(random.pick([1, 3, 7, 8, 12, 64, 260]));
    case 'crc':
      return frame ? encode(frame, framing, { crc: crc16(reply.subarray(0, reply.length - 2)) ^ (1 + random.int(0xfffe)) }) : undefined;
    case 'frame-length':
      return frame ? encode(frame, framing, { length: random.pick([0, 1, 2, frame.data.length + 1, frame.data.length + 3, 0xffff, 300, random.int(0x10000)]) }) : undefined;
    case 'transaction-id':
      return frame ? encode({ ...frame, transaction: frame.transaction + random.between(1, 0xfffe) }, framing) : undefined;
    case 'protocol-id':
      return frame ? encode({ ...frame, protocol: random.between(1, 0xffff) }, framing) : undefined;
    case 'unit-id':
      return frame ? encode({ ...frame, unit: frame.unit + random.between(1, 255) }, framing) : undefined;
    case 'function-code':
      return frame ? encode({ ...frame, fc: random.pick([1, 2, 3, 4, 5, 6, 8, 15, 16, 17, 23, 43, 0, 0x7f, random.int(256)].filter((fc) => fc !== frame.fc)) }, framing) : undefined;
    case 'exception':
      // Exception codes 1-4 (illegal function/address/value, slave failure), 5/6 (ack, busy),
      // 8 (parity), 10/11 (gateway path, target failed to respond), and nonsense ones.
      return frame ? encode({ ...frame, fc: frame.fc | 0x80, data: Buffer.from([random.pick([1, 2, 3, 4, 5, 6, 8, 10, 11, 0, 0x7f, 0xff])]) }, framing) : undefined;
    case 'byte-count': {
      if (!frame?.data.length) return undefined;
      const data = Buffer.from(frame.data);
      data[0] = random.pick([0, 1, data[0]! + 1, data[0]! - 1, data[0]! + 2, 0xff, random.int(256)]) & 0xff;
      return encode({ ...frame, data }, framing);
    }
    case 'register-count': {
      // A well-framed reply with a consistent byte count, but more or fewer registers than asked.
      if (!frame?.data.length) return undefined;
      const registers = frame.data.subarray(1);
      const count = random.pick([0, 1, Math.max(0, registers.length / 2 - 1), registers.length / 2 + 1, 125, 127]);
      const body = Buffer.alloc(count * 2);
      registers.copy(body, 0, 0, Math.min(registers.length, body.length));
      return encode({ ...frame, data: Buffer.concat([Buffer.from([body.length & 0xff]), body]) }, framing);
    }
    default:
      return undefined;
  }
}

const DAMAGE_FOR_REPEATS = ['transaction-id', 'byte-count', 'random-bytes', 'exception'] as const;

/** One mutated answer in place of `reply`, its kind drawn among those that apply to the framing. */
export function mutateModbusReply(reply: Buffer, framing: Framing, random: FuzzRandom, options: ModbusMutateOptions): ModbusMutation {
  const kinds = MODBUS_MUTATION_KINDS.filter((k) => (framing === 'mbap' ? !RTU_ONLY.has(k) : !MBAP_ONLY.has(k)) && (options.allowReset || k !== 'reset'));
  for (let attempt = 0; attempt < 10; attempt++) {
    const kind = random.pick(kinds);
    if (kind === 'reset') return { kind, chunks: [], reset: true };
    if (kind === 'duplicate' || kind === 'delayed' || kind === 'split') {
      const body = options.genuineRepeats ? reply : damaged(random.pick(DAMAGE_FOR_REPEATS), reply, framing, random) ?? reply;
      if (kind === 'duplicate') return { kind, chunks: Array.from({ length: random.between(2, 3) }, () => ({ bytes: body, delayMs: 0 })) };
      if (kind === 'delayed') return { kind, chunks: [{ bytes: body, delayMs: random.between(options.delayMs[0], options.delayMs[1]) }] };
      // Split: the frame in two to four pieces, a few milliseconds apart (a slow gateway).
      const cuts = [...new Set(Array.from({ length: random.between(1, 3) }, () => 1 + random.int(Math.max(1, body.length - 1))))].sort((a, b) => a - b);
      const pieces = [0, ...cuts].map((start, i) => body.subarray(start, cuts[i] ?? body.length)).filter((p) => p.length);
      return { kind, chunks: pieces.map((bytes, i) => ({ bytes, delayMs: i === 0 ? 0 : random.between(1, 20) })) };
    }
    const bytes = damaged(kind, reply, framing, random);
    if (bytes) return { kind, chunks: [{ bytes, delayMs: 0 }] };
  }
  return { kind: 'random-frame', chunks: [{ bytes: random.bytes(9), delayMs: 0 }] };
}
