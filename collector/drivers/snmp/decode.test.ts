import { describe, expect, it } from 'vitest';
import { compareOids, decodeVarbind, isUnder } from './decode.js';

describe('decodeVarbind', () => {
  it('reads the numeric SMI types', () => {
    expect(decodeVarbind({ oid: '1', type: 2, value: -5 })).toEqual({ ok: true, value: -5, type: 'Integer' });
    expect(decodeVarbind({ oid: '1', type: 65, value: 7 })).toMatchObject({ ok: true, value: 7 });
    expect(decodeVarbind({ oid: '1', type: 66, value: 4294967295 })).toMatchObject({ ok: true, value: 4294967295 });
    expect(decodeVarbind({ oid: '1', type: 67, value: 10976200 })).toMatchObject({ ok: true, value: 10976200, type: 'TimeTicks' });
    expect(decodeVarbind({ oid: '1', type: 70, value: Buffer.from([0x01, 0x00, 0x00, 0x00, 0x00]) })).toMatchObject({ ok: true, value: 2 ** 32 });
  });

  it('reads text and OIDs', () => {
    expect(decodeVarbind({ oid: '1', type: 4, value: Buffer.from('Smart-UPS\0') })).toMatchObject({ ok: true, value: 'Smart-UPS' });
    expect(decodeVarbind({ oid: '1', type: 6, value: '1.3.6.1.2.1.33.1.6.3.2' })).toMatchObject({ ok: true, value: '1.3.6.1.2.1.33.1.6.3.2' });
  });

  it('treats NULL and the exception values as no value, never zero', () => {
    expect(decodeVarbind({ oid: '1', type: 5, value: null }).ok).toBe(false);
    for (const type of [128, 129, 130]) expect(decodeVarbind({ oid: '1', type, value: null }).ok).toBe(false);
  });

  it('orders OIDs arc by arc', () => {
    expect(compareOids('1.3.6.1.10', '1.3.6.1.9')).toBeGreaterThan(0);
    expect(compareOids('1.3.6.1.2', '1.3.6.1.2.1')).toBeLessThan(0);
    expect(compareOids('1.3.6', '1.3.6')).toBe(0);
  });

  it('matches subtrees on OID arcs, not on text', () => {
    expect(isUnder('1.3.6.1.2.1.33.1.3.3.1.3', '1.3.6.1.2.1.33.1.3.3.1.3.2')).toBe(true);
    expect(isUnder('1.3.6.1.2.1.33.1.3.3.1.3', '1.3.6.1.2.1.33.1.3.3.1.30')).toBe(false);
  });
});
