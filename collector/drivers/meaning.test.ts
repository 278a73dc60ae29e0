import { describe, expect, it } from 'vitest';
import { applyMeaning } from './meaning.js';

const point = { scale: 1, offset: 0, unavailable: [] as number[] };

describe('applyMeaning', () => {
  it('scales without floating-point noise', () => {
    expect(applyMeaning({ ...point, scale: 0.1 }, { ok: true, value: 599 })).toEqual({ value: 59.9 });
    expect(applyMeaning({ ...point, scale: 0.1, offset: -40 }, { ok: true, value: 650 })).toEqual({ value: 25 });
  });

  it('reports declared sentinels as no value, compared before scaling', () => {
    const result = applyMeaning({ ...point, scale: 0.1, unavailable: [4294967295] }, { ok: true, value: 4294967295 });
    expect(result.value).toBeNull();
    expect(result.reason).toContain('4294967295');
  });

  it('passes on why a raw value is missing', () => {
    expect(applyMeaning(point, { ok: false, reason: 'the agent answered NULL (no value)' })).toEqual({ value: null, reason: 'the agent answered NULL (no value)' });
  });

  it('parses numbers sent as text only when the template says so', () => {
    expect(applyMeaning(point, { ok: true, value: '23.5' }, 'numeric_string')).toEqual({ value: 23.5 });
    expect(applyMeaning(point, { ok: true, value: '23.5' }).value).toBeNull();
    expect(applyMeaning(point, { ok: true, value: 'n/a' }, 'numeric_string').value).toBeNull();
  });

  it('renames text values', () => {
    expect(applyMeaning({ ...point, valueNames: { '1.3.6.1.2.1.33.1.6.3.2': 'on_battery' } }, { ok: true, value: '1.3.6.1.2.1.33.1.6.3.2' }, 'string')).toEqual({ value: 'on_battery' });
  });
});
