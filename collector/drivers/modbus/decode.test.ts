import { describe, expect, it } from 'vitest';
import { decodeModbus, registersToBigEndian } from './decode.js';

// 230.25 as float32 is 0x43664000: words 0x4366, 0x4000 in ABCD order.
const ABCD = [0x4366, 0x4000];
const CDAB = [0x4000, 0x4366];
const BADC = [0x6643, 0x0040];
const DCBA = [0x0040, 0x6643];

describe('decodeModbus', () => {
  it('reads float32 in each of the four byte/word orders', () => {
    expect(decodeModbus({ type: 'float32', order: 'ABCD' }, ABCD)).toEqual({ ok: true, value: 230.25 });
    expect(decodeModbus({ type: 'float32', order: 'CDAB' }, CDAB)).toEqual({ ok: true, value: 230.25 });
    expect(decodeModbus({ type: 'float32', order: 'BADC' }, BADC)).toEqual({ ok: true, value: 230.25 });
    expect(decodeModbus({ type: 'float32', order: 'DCBA' }, DCBA)).toEqual({ ok: true, value: 230.25 });
  });

  it('reads signed and unsigned 16- and 32-bit integers', () => {
    expect(decodeModbus({ type: 'int16', order: 'ABCD' }, [0xffff])).toEqual({ ok: true, value: -1 });
    expect(decodeModbus({ type: 'uint16', order: 'ABCD' }, [0xffff])).toEqual({ ok: true, value: 65535 });
    expect(decodeModbus({ type: 'int16', order: 'BADC' }, [0x3412])).toEqual({ ok: true, value: 0x1234 });
    expect(decodeModbus({ type: 'int32', order: 'ABCD' }, [0xfffe, 0x7960])).toEqual({ ok: true, value: -100000 });
    expect(decodeModbus({ type: 'uint32', order: 'CDAB' }, [0x86a0, 0x0001])).toEqual({ ok: true, value: 100000 });
  });

  it('reads 64-bit values with all four words reordered', () => {
    // 1234.5 as float64 = 0x40934A0000000000
    expect(decodeModbus({ type: 'float64', order: 'ABCD' }, [0x4093, 0x4a00, 0, 0])).toEqual({ ok: true, value: 1234.5 });
    expect(decodeModbus({ type: 'float64', order: 'CDAB' }, [0, 0, 0x4a00, 0x4093])).toEqual({ ok: true, value: 1234.5 });
    expect(decodeModbus({ type: 'int64', order: 'ABCD' }, [0xffff, 0xffff, 0xffff, 0xfffe])).toEqual({ ok: true, value: -2 });
    expect(decodeModbus({ type: 'uint64', order: 'DCBA' }, [0x0100, 0, 0, 0])).toEqual({ ok: true, value: 1 });
  });

  it('reads a bit of a register and a coil', () => {
    expect(decodeModbus({ type: 'bit', order: 'ABCD', bit: 0 }, [0b101])).toEqual({ ok: true, value: 1 });
    expect(decodeModbus({ type: 'bit', order: 'ABCD', bit: 1 }, [0b101])).toEqual({ ok: true, value: 0 });
    expect(decodeModbus({ type: 'bit', order: 'ABCD', bit: 8 }, [0x0100])).toEqual({ ok: true, value: 1 });
    expect(decodeModbus({ type: 'bool', order: 'ABCD' }, [true])).toEqual({ ok: true, value: 1 });
    expect(decodeModbus({ type: 'bool', order: 'ABCD' }, [false])).toEqual({ ok: true, value: 0 });
  });

  it('reads bits of a 32-bit value in its word order', () => {
    // 0x00060001 sent ABCD: bit 0 (low word) and bits 17, 18 (high word) are set.
    expect(decodeModbus({ type: 'bit', order: 'ABCD', bit: 17, bitWidth: 32 }, [0x0006, 0x0001])).toEqual({ ok: true, value: 1 });
    expect(decodeModbus({ type: 'bit', order: 'ABCD', bit: 16, bitWidth: 32 }, [0x0006, 0x0001])).toEqual({ ok: true, value: 0 });
    expect(decodeModbus({ type: 'bit', order: 'ABCD', bit: 0, bitWidth: 32 }, [0x0006, 0x0001])).toEqual({ ok: true, value: 1 });
    // The same value sent CDAB (low word first), and bit 31 of an all-ones word.
    expect(decodeModbus({ type: 'bit', order: 'CDAB', bit: 17, bitWidth: 32 }, [0x0001, 0x0006])).toEqual({ ok: true, value: 1 });
    expect(decodeModbus({ type: 'bit', order: 'CDAB', bit: 0, bitWidth: 32 }, [0x0001, 0x0006])).toEqual({ ok: true, value: 1 });
    expect(decodeModbus({ type: 'bit', order: 'DCBA', bit: 31, bitWidth: 32 }, [0xffff, 0xffff])).toEqual({ ok: true, value: 1 });
  });

  it('reports too few registers as no value instead of throwing', () => {
    expect(decodeModbus({ type: 'uint32', order: 'ABCD' }, [0x0006])).toEqual({ ok: false, reason: 'a uint32 needs 2 registers, got 1' });
    expect(decodeModbus({ type: 'float64', order: 'CDAB' }, [1, 2, 3])).toMatchObject({ ok: false });
    expect(decodeModbus({ type: 'bit', order: 'ABCD', bit: 20, bitWidth: 32 }, [1])).toMatchObject({ ok: false });
    expect(decodeModbus({ type: 'int16', order: 'ABCD' }, [])).toMatchObject({ ok: false });
  });

  it('reads text up to its terminating NUL and masks control characters', () => {
    // "AB\nC" NUL "junk"
    expect(decodeModbus({ type: 'string', order: 'ABCD' }, [0x4142, 0x0a43, 0x006a, 0x756e])).toEqual({ ok: true, value: 'AB?C' });
    expect(decodeModbus({ type: 'string', order: 'ABCD' }, [0x2020, 0x5550, 0x5320])).toEqual({ ok: true, value: 'UPS' });
  });

  it('reads text, trimming padding', () => {
    expect(decodeModbus({ type: 'string', order: 'ABCD' }, [0x5550, 0x5300, 0])).toEqual({ ok: true, value: 'UPS' });
    expect(decodeModbus({ type: 'string', order: 'BADC' }, [0x5055, 0x0053])).toEqual({ ok: true, value: 'UPS' });
  });

  it('stores float32 as the shortest decimal that reads back the same', () => {
    const [hi, lo] = [0x4247, 0xcccd]; // float32 nearest to 49.95
    expect(decodeModbus({ type: 'float32', order: 'ABCD' }, [hi, lo])).toEqual({ ok: true, value: 49.95 });
  });

  it('reports NaN from a meter as no value', () => {
    expect(decodeModbus({ type: 'float32', order: 'ABCD' }, [0x7fc0, 0])).toMatchObject({ ok: false });
  });

  it('normalises registers to big-endian bytes', () => {
    expect(registersToBigEndian(DCBA, 'DCBA').toString('hex')).toBe('43664000');
  });
});
