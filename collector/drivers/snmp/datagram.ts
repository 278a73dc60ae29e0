/** What the outer BER layers of an SNMP datagram claim, read without trusting any length. */
export interface DatagramPeek {
  /** 0 (v1), 1 (v2c), 3 (v3); undefined when the bytes are not SNMP. */
  version?: number;
  /** The PDU's tag (0xa2 GetResponse, 0xa8 Report, ...); undefined when encrypted or unreadable. */
  pduTag?: number;
  /** v3 only: the header's msgID, which net-snmp matches replies by. */
  msgId?: number;
}

export const REPORT_PDU = 0xa8;

interface Item {
  tag: number;
  start: number;
  end: number;
}

function item(buffer: Buffer, at: number): Item | undefined {
  if (at + 2 > buffer.length) return undefined;
  let size = buffer[at + 1]!;
  let start = at + 2;
  if (size & 0x80) {
    const n = size & 0x7f;
    if (n > 3 || start + n > buffer.length) return undefined;
    size = 0;
    for (let i = 0; i < n; i++) size = size * 256 + buffer[start + i]!;
    start += n;
  }
  return { tag: buffer[at]!, start, end: start + size };
}

function smallInteger(buffer: Buffer, it: Item | undefined): number | undefined {
  if (!it || it.tag !== 0x02 || it.end - it.start > 4 || it.end > buffer.length || it.end === it.start) return undefined;
  let v = 0;
  for (let i = it.start; i < it.end; i++) v = v * 256 + buffer[i]!;
  return v;
}

/** Reads version, PDU tag and (v3) msgID from a datagram; never throws. */
export function peekDatagram(buffer: Buffer): DatagramPeek {
  const top = item(buffer, 0);
  if (top?.tag !== 0x30) return {};
  const versionItem = item(buffer, top.start);
  const version = smallInteger(buffer, versionItem);
  if (version === undefined || versionItem!.end - versionItem!.start !== 1) return {};
  if (version !== 3) {
    const community = item(buffer, versionItem!.end);
    const pdu = community?.tag === 0x04 ? item(buffer, community.end) : undefined;
    return { version, pduTag: pdu?.tag };
  }
  const header = item(buffer, versionItem!.end);
  const msgId = header?.tag === 0x30 ? smallInteger(buffer, item(buffer, header.start)) : undefined;
  const security = header ? item(buffer, header.end) : undefined;
  const scoped = security?.tag === 0x04 ? item(buffer, security.end) : undefined;
  // A scoped PDU in clear is a SEQUENCE of contextEngineID, contextName and the PDU; an encrypted one is an OCTET STRING.
  if (scoped?.tag !== 0x30) return { version, msgId };
  const engine = item(buffer, scoped.start);
  const context = engine ? item(buffer, engine.end) : undefined;
  const pdu = context ? item(buffer, context.end) : undefined;
  return { version, msgId, pduTag: pdu && pdu.start <= buffer.length ? pdu.tag : undefined };
}

const PDU_NAMES: Record<number, string> = {
  0xa0: 'GetRequest', 0xa1: 'GetNextRequest', 0xa2: 'GetResponse', 0xa3: 'SetRequest', 0xa4: 'Trap (v1)',
  0xa5: 'GetBulkRequest', 0xa6: 'InformRequest', 0xa7: 'SNMPv2-Trap', 0xa8: 'Report',
};
const VERSIONS: Record<number, string> = { 0: 'SNMPv1', 1: 'SNMPv2c', 3: 'SNMPv3' };

/** Names what a datagram claims to be ("SNMPv2c Report PDU (0xa8)") for error texts. */
export function describeDatagram(buffer: Buffer): string {
  const { version, pduTag } = peekDatagram(buffer);
  if (version === undefined) return `${buffer.length} bytes, not SNMP`;
  const name = VERSIONS[version] ?? `SNMP version ${version}`;
  if (pduTag === undefined) return version === 3 ? `${name} message` : `${name} message without a PDU`;
  return `${name} ${PDU_NAMES[pduTag] ?? 'unknown'} PDU (0x${pduTag.toString(16)})`;
}
