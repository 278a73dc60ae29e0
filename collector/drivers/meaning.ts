import type { PointMeaning } from '../../common/contracts/device.js';
import type { RawValue } from '../../common/contracts/reading.js';

/**
 * Applies a template point's meaning to a raw value: "not available" sentinels first (they are
 * raw device values), then scale and offset. Scaling is rounded to 12 significant digits so that
 * 599 × 0.1 is stored as 59.9, not 59.900000000000006.
 */
export function applyMeaning(point: Pick<PointMeaning, 'scale' | 'offset' | 'unavailable' | 'valueNames'>, raw: RawValue, valueType: 'number' | 'string' | 'numeric_string' = 'number'): { value: number | string | null; reason?: string } {
  if (!raw.ok) return { value: null, reason: raw.reason };
  let number: number;
  if (valueType === 'string') {
    const text = String(raw.value);
    return { value: point.valueNames?.[text] ?? point.valueNames?.[text.replace(/^\./, '')] ?? text };
  }
  if (valueType === 'numeric_string' || typeof raw.value === 'string') {
    if (valueType === 'number') return { value: null, reason: `expected a number, got text "${String(raw.value).slice(0, 40)}"` };
    number = Number.parseFloat(String(raw.value));
    if (!Number.isFinite(number)) return { value: null, reason: `text "${String(raw.value).slice(0, 40)}" is not a number` };
  } else {
    number = raw.value;
  }
  if (point.unavailable.includes(number)) return { value: null, reason: `the device reports ${number}, which this template declares "not available"` };
  if (point.scale === 1 && point.offset === 0) return { value: number };
  return { value: Number((number * point.scale + point.offset).toPrecision(12)) };
}
