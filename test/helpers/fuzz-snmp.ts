import { allTlvs, cloneTlv, encodeTlv, integerTlv, octetsTlv, parseTlv, type Tlv } from './fuzz-ber.js';
import type { FuzzRandom } from './fuzz-random.js';

/**
 * What a broken or hostile SNMP agent can send back instead of its true reply. Structured kinds
 * change one field of the parsed message and re-encode it (so only that field is wrong); the raw
 * kinds damage bytes. v3 kinds change the USM header of a v3 message.
 */
export const SNMP_MUTATION_KINDS = [
  'pdu-type',
  'truncate',
  'ber-length',
  'varbind-count',
  'request-id',
  'error-status',
  'value-type',
  'version',
  'community',
  'random-bytes',
  'random-datagram',
  'deep-nesting',
  'v3-flags',
  'v3-engine',
  'v3-security-params',
  'v3-security-model',
  'duplicate',
  'delayed',
] as const;
export type SnmpMutationKind = (typeof SNMP_MUTATION_KINDS)[number];

const V3_ONLY: ReadonlySet<SnmpMutationKind> = new Set(['v3-flags', 'v3-engine', 'v3-security-params', 'v3-security-model']);
const V12_ONLY: ReadonlySet<SnmpMutationKind> = new Set(['community']);

/** GetRequest, GetNext, GetResponse, Set, Trap (v1), GetBulk, Inform, SNMPv2-Trap, Report. */
const PDU_TAGS = [0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8];
/** INTEGER, OCTET STRING, NULL, OID, IpAddress, Counter32, Gauge32, TimeTicks, Opaque, Counter64, and the v2 exceptions. */
const VALUE_TAGS = [0x02, 0x04, 0x05, 0x06, 0x40, 0x41, 0x42, 0x43, 0x44, 0x46, 0x80, 0x81, 0x82, 0x30, 0xa2];

export interface Datagram {
  bytes: Buffer;
  delayMs: number;
}

export interface SnmpMutation {
  kind: SnmpMutationKind;
  datagrams: Datagram[];
}

export interface SnmpMutateOptions {
  /** Whether duplicates and delays may repeat the genuine reply (otherwise they repeat a damaged one). */
  genuineRepeats: boolean;
  /** Delays for "delayed" replies: longer than the client's timeout, so they arrive stale. */
  delayMs: readonly [number, number];
}

function parseMessage(bytes: Buffer): Tlv | undefined {
  try {
    const { tlv, end } = parseTlv(bytes);
    return end === bytes.length && tlv.children ? tlv : undefined;
  } catch {
    return undefined;
  }
}

function isV3(msg: Tlv): boolean {
  const version = msg.children?.[0];
  return version?.tag === 0x02 && version.content.length === 1 && version.content[0] === 3;
}

/** The PDU of a v1/v2c message, or of a v3 message whose scoped PDU is in clear. */
function pduOf(msg: Tlv): Tlv | undefined {
  if (!isV3(msg)) return msg.children?.[2]?.children ? msg.children[2] : undefined;
  const data = msg.children?.[3];
  return data?.tag === 0x30 ? data.children?.[2] : undefined;
}

function bigRandomInteger(random: FuzzRandom): bigint | number {
  return random.pick<bigint | number>([0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2n ** 63n, -(2n ** 70n), random.int(2 ** 31), 0x7fffffff]);
}

function damageBytes(bytes: Buffer, random: FuzzRandom): Buffer {
  const out = Buffer.from(bytes);
  for (let n = random.between(1, 6); n > 0 && out.length; n--) out[random.int(out.length)] = random.int(256);
  return out;
}

/**
 * One structural change to a parsed message; false when it does not apply to this message
 * (e.g. a v3 header change on a v2c reply).
 */
function mutateTree(kind: SnmpMutationKind, msg: Tlv, random: FuzzRandom): boolean {
  const pdu = pduOf(msg);
  switch (kind) {
    case 'pdu-type': {
      if (pdu) {
        pdu.tag = random.chance(0.8) ? random.pick(PDU_TAGS.filter((t) => t !== pdu.tag)) : random.int(256);
        return true;
      }
      if (!isV3(msg)) return false;
      // An encrypted v3 reply: answer in clear instead, with a Report (the PDU an engine sends for
      // USM errors) or another PDU type, and the privacy flag dropped.
      const [, header] = msg.children!;
      const flags = header?.children?.[2];
      if (flags) flags.content = Buffer.from([(flags.content[0] ?? 0) & ~0x02]);
      const report: Tlv = { tag: random.pick([0xa8, 0xa2, 0xa7, 0xa0]), content: Buffer.alloc(0), children: [integerTlv(random.int(2 ** 31)), integerTlv(0), integerTlv(0), { tag: 0x30, content: Buffer.alloc(0), children: [] }] };
      msg.children![3] = { tag: 0x30, content: Buffer.alloc(0), children: [octetsTlv(random.bytes(random.between(0, 12))), octetsTlv(''), report] };
      return true;
    }
    case 'ber-length': {
      const target = random.pick(allTlvs(msg));
      const trueLength = (target.children ? Buffer.concat(target.children.map(encodeTlv)) : target.content).length;
      target.lengthOverride = random.pick([
        Buffer.from([Math.max(0, trueLength + random.between(-3, 3)) & 0x7f]),
        Buffer.from([0x84, 0xff, 0xff, 0xff, 0xff]),
        Buffer.from([0x80]),
        Buffer.from([0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
        Buffer.from([0x82, (trueLength + 1000) >> 8, (trueLength + 1000) & 0xff]),
        Buffer.from([0x00]),
      ]);
      return true;
    }
    case 'varbind-count': {
      const list = pdu?.children?.[3];
      if (!list?.children) return false;
      const rows = list.children;
      switch (random.int(5)) {
        case 0:
          list.children = [];
          break;
        case 1:
          list.children = rows.slice(0, random.int(Math.max(1, rows.length)));
          break;
        case 2:
          list.children = [...rows, ...rows.map(cloneTlv)];
          break;
        case 3:
          list.children = [...rows].reverse();
          break;
        default:
          list.children = [...rows, { tag: 0x30, content: Buffer.alloc(0), children: [{ tag: 0x06, content: Buffer.from([0x2b, 6, 1, 4, 1, random.int(128)]) }, integerTlv(random.int(1000))] }];
      }
      return true;
    }
    case 'request-id': {
      const id = isV3(msg) ? msg.children?.[1]?.children?.[0] : pdu?.children?.[0];
      if (!id) return false;
      Object.assign(id, integerTlv(random.chance(0.3) ? BigInt(`0x${id.content.toString('hex') || '0'}`) + 1n : bigRandomInteger(random)));
      return true;
    }
    case 'error-status': {
      const status = pdu?.children?.[1];
      const index = pdu?.children?.[2];
      if (!status || !index) return false;
      Object.assign(status, integerTlv(random.pick([1, 2, 3, 5, 6, 16, 18, 19, 255, -1, random.int(2 ** 31)])));
      Object.assign(index, integerTlv(random.pick([0, 1, 999, -1, 2 ** 31 - 1])));
      return true;
    }
    case 'value-type': {
      const rows = pdu?.children?.[3]?.children;
      if (!rows?.length) return false;
      const value = random.pick(rows).children?.[1];
      if (!value) return false;
      value.tag = random.chance(0.85) ? random.pick(VALUE_TAGS) : random.int(256);
      value.children = undefined;
      value.content = random.pick([value.content, Buffer.alloc(0), random.bytes(random.between(1, 12)), Buffer.alloc(300, 0xff), Buffer.from([0x80])]);
      return true;
    }
    case 'version': {
      const version = msg.children?.[0];
      if (!version) return false;
      Object.assign(version, integerTlv(random.pick([0, 1, 2, 3, 4, -1, 255, 2 ** 31])));
      return true;
    }
    case 'community': {
      const community = msg.children?.[1];
      if (isV3(msg) || community?.tag !== 0x04) return false;
      community.content = random.pick([Buffer.alloc(0), Buffer.from('wrong-community'), random.bytes(random.between(1, 40)), Buffer.alloc(2000, 0x41)]);
      return true;
    }
    case 'v3-flags': {
      const flags = isV3(msg) ? msg.children?.[1]?.children?.[2] : undefined;
      if (!flags) return false;
      flags.content = random.pick([Buffer.from([random.int(256)]), Buffer.alloc(0), Buffer.from([0x07, 0x07]), Buffer.from([(flags.content[0] ?? 0) ^ (1 << random.int(3))])]);
      return true;
    }
    case 'v3-engine':
    case 'v3-security-params': {
      const holder = isV3(msg) ? msg.children?.[2] : undefined;
      if (!holder || holder.tag !== 0x04) return false;
      let usm: Tlv;
      try {
        usm = parseTlv(holder.content).tlv;
      } catch {
        return false;
      }
      const fields = usm.children;
      if (!fields || fields.length < 6) return false;
      if (kind === 'v3-engine') {
        // engine id, boots or time: a different engine, or one out of the time window.
        const which = random.int(3);
        if (which === 0) fields[0]!.content = random.pick([Buffer.alloc(0), random.bytes(random.between(1, 32)), Buffer.alloc(300, 0x80)]);
        else Object.assign(fields[which]!, integerTlv(bigRandomInteger(random)));
      } else if (random.chance(0.2)) {
        // The security parameters are not a USM SEQUENCE at all.
        holder.content = random.bytes(random.between(0, 40));
        return true;
      } else {
        const which = random.pick([3, 4, 5]);
        fields[which]!.content = which === 4 && fields[4]!.content.length && random.chance(0.5) ? damageBytes(fields[4]!.content, random) : random.bytes(random.pick([0, 1, 8, 12, 64]));
      }
      holder.content = encodeTlv(usm);
      return true;
    }
    case 'v3-security-model': {
      const model = isV3(msg) ? msg.children?.[1]?.children?.[3] : undefined;
      if (!model) return false;
      Object.assign(model, integerTlv(random.pick([0, 1, 2, 4, 99, -1])));
      return true;
    }
    default:
      return false;
  }
}

/** Bytes for the raw kinds, or a re-encoded message for the structural ones. */
function damaged(kind: SnmpMutationKind, reply: Buffer, random: FuzzRandom): Buffer | undefined {
  switch (kind) {
    case 'truncate':
      return reply.subarray(0, random.int(reply.length));
    case 'random-bytes':
      return damageBytes(reply, random);
    case 'random-datagram':
      return random.bytes(random.pick([0, 1, 2, 7, 64, 484, 1400]));
    case 'deep-nesting': {
      // SEQUENCE inside SEQUENCE, hundreds deep, with lengths that add up.
      let inner = Buffer.from([0x05, 0x00]);
      for (let depth = random.between(50, 400); depth > 0; depth--) inner = Buffer.concat([Buffer.from([0x30]), encodeLengthBytes(inner.length), inner]);
      return inner;
    }
    default: {
      const msg = parseMessage(reply);
      if (!msg || !mutateTree(kind, msg, random)) return undefined;
      return encodeTlv(msg);
    }
  }
}

function encodeLengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

/**
 * One mutated reply (or several datagrams, for duplicates) in place of `reply`. The kind is
 * drawn at random among those that apply to this message.
 */
export function mutateSnmpReply(reply: Buffer, random: FuzzRandom, options: SnmpMutateOptions): SnmpMutation {
  const msg = parseMessage(reply);
  const v3 = msg ? isV3(msg) : false;
  const kinds = SNMP_MUTATION_KINDS.filter((k) => (v3 ? !V12_ONLY.has(k) : !V3_ONLY.has(k)));
  for (let attempt = 0; attempt < 10; attempt++) {
    const kind = random.pick(kinds);
    if (kind === 'duplicate' || kind === 'delayed') {
      const body = options.genuineRepeats ? reply : damaged(random.pick(['random-bytes', 'truncate', 'request-id'] as const), reply, random) ?? reply;
      if (kind === 'duplicate') return { kind, datagrams: Array.from({ length: random.between(2, 4) }, () => ({ bytes: body, delayMs: 0 })) };
      return { kind, datagrams: [{ bytes: body, delayMs: random.between(options.delayMs[0], options.delayMs[1]) }] };
    }
    const bytes = damaged(kind, reply, random);
    if (bytes) return { kind, datagrams: [{ bytes, delayMs: 0 }] };
  }
  return { kind: 'random-datagram', datagrams: [{ bytes: random.bytes(32), delayMs: 0 }] };
}
