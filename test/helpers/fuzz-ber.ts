/**
 * Just enough BER (X.690) to take an SNMP message apart and put it back together, so the fuzzer
 * can change one field and still send a message whose other lengths are right; or, on purpose,
 * write one length wrong.
 */
export interface Tlv {
  tag: number;
  /** Set for constructed values (SEQUENCE, PDUs); their content is the children's encoding. */
  children?: Tlv[];
  /** Primitive content. */
  content: Buffer;
  /** Written instead of the true length bytes (the "wrong BER length" mutations). */
  lengthOverride?: Buffer;
}

const CONSTRUCTED = 0x20;

/** Parses one TLV at `offset`; throws on anything malformed (the fuzzer then mutates raw bytes). */
export function parseTlv(buf: Buffer, offset = 0): { tlv: Tlv; end: number } {
  if (offset + 2 > buf.length) throw new Error('short TLV');
  const tag = buf[offset]!;
  let length = buf[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) throw new Error('unsupported length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + length;
  if (end > buf.length) throw new Error('TLV past the end');
  const content = buf.subarray(start, end);
  if (tag & CONSTRUCTED) {
    const children: Tlv[] = [];
    let at = start;
    while (at < end) {
      const child = parseTlv(buf, at);
      children.push(child.tlv);
      at = child.end;
    }
    return { tlv: { tag, children, content }, end };
  }
  return { tlv: { tag, content }, end };
}

export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function encodeTlv(tlv: Tlv): Buffer {
  const content = tlv.children ? Buffer.concat(tlv.children.map(encodeTlv)) : tlv.content;
  return Buffer.concat([Buffer.from([tlv.tag]), tlv.lengthOverride ?? encodeLength(content.length), content]);
}

export function integerTlv(value: bigint | number): Tlv {
  let n = BigInt(value);
  const bytes: number[] = [];
  // Two's complement, shortest form.
  for (;;) {
    const byte = Number(n & 0xffn);
    bytes.unshift(byte);
    n >>= 8n;
    if ((n === 0n && !(byte & 0x80)) || (n === -1n && byte & 0x80)) break;
  }
  return { tag: 0x02, content: Buffer.from(bytes) };
}

export function octetsTlv(content: Buffer | string): Tlv {
  return { tag: 0x04, content: typeof content === 'string' ? Buffer.from(content) : content };
}

/** Every TLV in the tree, depth first, the root included. */
export function allTlvs(root: Tlv): Tlv[] {
  const out: Tlv[] = [root];
  for (const child of root.children ?? []) out.push(...allTlvs(child));
  return out;
}

/** A deep copy, so a mutation never leaks into the next variant of the same reply. */
export function cloneTlv(tlv: Tlv): Tlv {
  return { tag: tlv.tag, content: Buffer.from(tlv.content), children: tlv.children?.map(cloneTlv) };
}
