import { describe, expect, it } from 'vitest';
import { describeDatagram, peekDatagram } from './datagram.js';

describe('describeDatagram', () => {
  it('names the version and PDU type a datagram claims, from its outer header only', () => {
    // SEQUENCE { INTEGER 1, OCTET STRING "public", [0xa8] ... } with a truncated PDU body
    const report = Buffer.from([0x30, 0x10, 0x02, 0x01, 0x01, 0x04, 0x06, ...Buffer.from('public'), 0xa8, 0x20, 0x02]);
    expect(describeDatagram(report)).toBe('SNMPv2c Report PDU (0xa8)');
    expect(describeDatagram(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x03]))).toBe('SNMPv3 message');
    expect(describeDatagram(Buffer.from([0x30, 0x05, 0x02, 0x01, 0x00, 0x04, 0x00]))).toBe('SNMPv1 message without a PDU');
  });

  it('finds a v3 message\'s msgID and, when in clear, its PDU type', () => {
    // SEQUENCE { 3, header { msgID 77, ... }, security "", scoped { "", "", Report } }
    const header = [0x30, 0x0d, 0x02, 0x01, 77, 0x02, 0x02, 0xff, 0xe3, 0x04, 0x01, 0x00, 0x02, 0x01, 0x03];
    const scoped = [0x30, 0x06, 0x04, 0x00, 0x04, 0x00, 0xa8, 0x00];
    const message = [0x02, 0x01, 0x03, ...header, 0x04, 0x00, ...scoped];
    expect(peekDatagram(Buffer.from([0x30, message.length, ...message]))).toEqual({ version: 3, msgId: 77, pduTag: 0xa8 });
    const encrypted = [0x02, 0x01, 0x03, ...header, 0x04, 0x00, 0x04, 0x02, 0xaa, 0xbb];
    expect(peekDatagram(Buffer.from([0x30, encrypted.length, ...encrypted]))).toEqual({ version: 3, msgId: 77 });
  });

  it('never throws on bytes that are not SNMP', () => {
    expect(describeDatagram(Buffer.from('garbage'))).toBe('7 bytes, not SNMP');
    expect(describeDatagram(Buffer.alloc(0))).toBe('0 bytes, not SNMP');
    expect(describeDatagram(Buffer.from([0x30, 0x84, 0xff]))).toBe('3 bytes, not SNMP');
    for (let i = 0; i < 2000; i++) {
      const random = Buffer.from(Array.from({ length: i % 40 }, (_, j) => (i * 31 + j * 17) & 0xff));
      expect(typeof describeDatagram(random)).toBe('string');
      expect(typeof peekDatagram(random)).toBe('object');
    }
  });
});
