/**
 * Just enough BER (X.690) to craft SNMP messages by hand for hostile-peer tests: written apart
 * from net-snmp on purpose, so a crafted reply is not shaped by the library under test.
 */

export const PDU = { GetRequest: 0xa0, GetNext: 0xa1, GetResponse: 0xa2, SetRequest: 0xa3, TrapV1: 0xa4, GetBulk: 0xa5, Inform: 0xa6, TrapV2: 0xa7, Report: 0xa8 } as const;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

export function integer(n: number): Buffer {
  const bytes: number[] = [];
  let v = BigInt(n);
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v !== 0n && v !== -1n);
  // Two's complement: a positive number whose top bit is set needs a leading zero, a negative one a leading 0xff.
  if (n >= 0 && bytes[0]! & 0x80) bytes.unshift(0);
  if (n < 0 && !(bytes[0]! & 0x80)) bytes.unshift(0xff);
  return tlv(0x02, Buffer.from(bytes));
}

export function octets(value: string | Buffer): Buffer {
  return tlv(0x04, Buffer.isBuffer(value) ? value : Buffer.from(value));
}

export function oid(text: string): Buffer {
  const arcs = text.split('.').map(Number);
  const out = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Buffer.from(out));
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);

/** A v1/v2c message: version 0 (v1) or 1 (v2c), community, one PDU with (oid, encoded value) varbinds. */
export function communityMessage(version: number, community: string, pduType: number, requestId: number, varbinds: Array<[string, Buffer]>, errorStatus = 0, errorIndex = 0): Buffer {
  const list = sequence(...varbinds.map(([o, v]) => sequence(oid(o), v)));
  return sequence(integer(version), octets(community), tlv(pduType, Buffer.concat([integer(requestId), integer(errorStatus), integer(errorIndex), list])));
}

/**
 * An SNMPv3 message with the given header flags (1 auth, 2 priv, 4 reportable) and a plaintext
 * scoped PDU; `engine` is the authoritative engine's boots and time it claims.
 */
export function v3Message(msgId: number, flags: number, user: string, pduType: number, requestId: number, engine = { boots: 1, time: 100 }): Buffer {
  const security = sequence(octets(Buffer.from('80001f8880c0ffee0001', 'hex')), integer(engine.boots), integer(engine.time), octets(user), octets(flags & 1 ? Buffer.alloc(12) : Buffer.alloc(0)), octets(flags & 2 ? Buffer.alloc(8) : Buffer.alloc(0)));
  const pdu = tlv(pduType, Buffer.concat([integer(requestId), integer(0), integer(0), sequence()]));
  const scoped = flags & 2 ? octets(Buffer.alloc(24, 0x5a)) : sequence(octets(Buffer.alloc(0)), octets(Buffer.alloc(0)), pdu);
  return sequence(integer(3), sequence(integer(msgId), integer(65507), octets(Buffer.from([flags])), integer(3)), octets(security), scoped);
}

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(buffer: Buffer, at: number): Tlv {
  let size = buffer[at + 1]!;
  let header = 2;
  if (size & 0x80) {
    const n = size & 0x7f;
    size = 0;
    for (let i = 0; i < n; i++) size = size * 256 + buffer[at + 2 + i]!;
    header += n;
  }
  if (at + header + size > buffer.length) throw new Error(`BER length at byte ${at} runs past the end`);
  return { tag: buffer[at]!, start: at + header, end: at + header + size };
}

function readInteger(buffer: Buffer, t: Tlv): number {
  let v = 0n;
  for (let i = t.start; i < t.end; i++) v = (v << 8n) | BigInt(buffer[i]!);
  if (t.end > t.start && buffer[t.start]! & 0x80) v -= 1n << BigInt(8 * (t.end - t.start));
  return Number(v);
}

function readOid(buffer: Buffer, t: Tlv): string {
  const first = buffer[t.start]!;
  const arcs = [Math.floor(first / 40), first % 40];
  let v = 0;
  for (let i = t.start + 1; i < t.end; i++) {
    v = v * 128 + (buffer[i]! & 0x7f);
    if (!(buffer[i]! & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

export interface SnmpRequest {
  version: number;
  /** v1/v2c only. */
  community?: string;
  pduType?: number;
  /** The PDU's request-id (v1/v2c) or the header's msgID (v3): what a reply must carry to be matched. */
  requestId: number;
  oids: string[];
}

/** Reads what a hostile responder needs from a request: version, community, ids and OIDs. */
export function parseRequest(buffer: Buffer): SnmpRequest {
  const top = readTlv(buffer, 0);
  const versionTlv = readTlv(buffer, top.start);
  const version = readInteger(buffer, versionTlv);
  if (version === 3) {
    const header = readTlv(buffer, versionTlv.end);
    return { version, requestId: readInteger(buffer, readTlv(buffer, header.start)), oids: [] };
  }
  const communityTlv = readTlv(buffer, versionTlv.end);
  const pdu = readTlv(buffer, communityTlv.end);
  const id = readTlv(buffer, pdu.start);
  const status = readTlv(buffer, id.end);
  const index = readTlv(buffer, status.end);
  const list = readTlv(buffer, index.end);
  const oids: string[] = [];
  for (let at = list.start; at < list.end; ) {
    const varbind = readTlv(buffer, at);
    oids.push(readOid(buffer, readTlv(buffer, varbind.start)));
    at = varbind.end;
  }
  return { version, community: buffer.subarray(communityTlv.start, communityTlv.end).toString(), pduType: pdu.tag, requestId: readInteger(buffer, id), oids };
}
