/** A decoded SNMP varbind, or why it carries no value. */
export type SnmpValue =
  | { ok: true; value: number | string; type: string }
  | { ok: false; reason: string };

// ASN.1/SMI type tags (RFC 2578, RFC 3416) as they arrive in varbinds.
const TYPE_NAMES: Record<number, string> = {
  1: 'Boolean', 2: 'Integer', 4: 'OctetString', 5: 'Null', 6: 'OID', 64: 'IpAddress', 65: 'Counter32',
  66: 'Gauge32', 67: 'TimeTicks', 68: 'Opaque', 70: 'Counter64', 128: 'noSuchObject', 129: 'noSuchInstance', 130: 'endOfMibView',
};

/** The name decodeVarbind gives an SMI type tag (66 → "Gauge32"), for recordings. */
export function typeNameOf(tag: number): string | undefined {
  return TYPE_NAMES[tag];
}

/** The tag of an SMI type by the name decodeVarbind gives it ("Gauge32" → 66), for recordings. */
export function typeTagOf(name: string): number | undefined {
  const found = Object.entries(TYPE_NAMES).find(([, n]) => n === name);
  return found ? Number(found[0]) : undefined;
}

export interface RawVarbind {
  oid: string;
  type?: number;
  value?: unknown;
}

/**
 * Turns a varbind into a number or text. Exceptions (noSuchObject, noSuchInstance, endOfMibView)
 * and NULL mean the agent has no value: they become `ok: false`, never 0.
 */
export function decodeVarbind(varbind: RawVarbind): SnmpValue {
  const type = varbind.type ?? -1;
  const name = TYPE_NAMES[type] ?? `type ${type}`;
  const value = varbind.value;
  switch (type) {
    case 2:
    case 65:
    case 66:
    case 67:
      return typeof value === 'number' ? { ok: true, value, type: name } : { ok: false, reason: `${name} without a numeric value` };
    case 70:
      return { ok: true, value: counter64ToNumber(value), type: name };
    case 1:
      return { ok: true, value: value ? 1 : 0, type: name };
    case 4:
      return { ok: true, value: Buffer.isBuffer(value) ? value.toString('utf8').replace(/\0+$/, '') : String(value), type: name };
    case 6:
    case 64:
      return { ok: true, value: String(value), type: name };
    case 5:
      return { ok: false, reason: 'the agent answered NULL (no value)' };
    case 128:
    case 129:
    case 130:
      return { ok: false, reason: `the agent answered ${name}` };
    default:
      return { ok: false, reason: `unsupported SNMP type ${name}` };
  }
}

function counter64ToNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (Buffer.isBuffer(value)) {
    // net-snmp hands Counter64 over as a big-endian buffer of up to 8 bytes.
    let result = 0n;
    for (const byte of value) result = (result << 8n) | BigInt(byte);
    return Number(result);
  }
  return Number.NaN;
}

/** True when `oid` lies strictly below `base` (so 1.3.6.1.2.10 is not under 1.3.6.1.2.1). */
export function isUnder(base: string, oid: string): boolean {
  return oid.startsWith(`${base}.`);
}

/** Orders OIDs arc by arc (1.3.6.1.10 comes after 1.3.6.1.9). */
export function compareOids(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
