import { describe, expect, it } from 'vitest';
import { answerPdu, createBank } from './modbus-tcp-server.js';

describe('answerPdu', () => {
  const bank = createBank(16);
  bank.input[2] = 0x4366;
  bank.input[3] = 0x4000;
  bank.coils[1] = 1;
  bank.coils[9] = 1;

  it('answers register and bit reads', () => {
    expect(answerPdu(bank, Buffer.from([4, 0, 2, 0, 2])).toString('hex')).toBe('040443664000');
    expect(answerPdu(bank, Buffer.from([1, 0, 0, 0, 10])).toString('hex')).toBe('01020202');
  });

  it('answers the right exception codes', () => {
    expect(answerPdu(bank, Buffer.from([5, 0, 0, 0xff, 0])).toString('hex')).toBe('8501');
    expect(answerPdu(bank, Buffer.from([3, 0, 10, 0, 10])).toString('hex')).toBe('8302');
    expect(answerPdu(bank, Buffer.from([3, 0, 0, 0, 126])).toString('hex')).toBe('8303');
  });
});
