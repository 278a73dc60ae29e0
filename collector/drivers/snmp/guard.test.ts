import { describe, expect, it } from 'vitest';
import { describeDatagram } from './guard.js';

describe('describeDatagram', () => {
  it('names the version and PDU type a datagram claims, from its outer header only', () => {
    // SEQUENCE { INTEGER 1, OCTET STRING "public", [0xa8] ... } with a truncated PDU body
    const report = Buffer.from([0x30, 0x10, 0x02, 0x01, 0x01, 0x04, 0x06, ...Buffer.from('public'), 0xa8, 0x20, 0x02]);
    expect(describeDatagram(report)).toBe('SNMPv2c Report PDU (0xa8)');
    expect(describeDatagram(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x03]))).toBe('SNMPv3 message');
    expect(describeDatagram(Buffer.from([0x30, 0x05, 0x02, 0x01, 0x00, 0x04, 0x00]))).toBe('SNMPv1 message without a PDU');
  });

  it('never throws on bytes that are not SNMP', () => {
    expect(describeDatagram(Buffer.from('garbage'))).toBe('7 bytes, not SNMP');
    expect(describeDatagram(Buffer.alloc(0))).toBe('0 bytes, not SNMP');
    expect(describeDatagram(Buffer.from([0x30, 0x84, 0xff]))).toBe('3 bytes, not SNMP');
    for (let i = 0; i < 2000; i++) {
      const random = Buffer.from(Array.from({ length: i % 40 }, (_, j) => (i * 31 + j * 17) & 0xff));
      expect(typeof describeDatagram(random)).toBe('string');
    }
  });
});
