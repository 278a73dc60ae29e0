import type { PointMeaning } from './model.js';

/** One value read from a device, as stored and as evaluated by alert rules. */
export interface Reading {
  measurement: string;
  field: string;
  tags: Readonly<Record<string, string>>;
  /** null: the device answered but has no value (sentinel, NULL, noSuchInstance, NaN). */
  value: number | string | null;
  unit?: string;
  /** Where it came from: an OID with its instance (SNMP) or `fc:address` (Modbus). */
  source: string;
  /** Milliseconds since the epoch, the moment the poll started. */
  time: number;
  /** Why `value` is null. */
  reason?: string;
}

export type RawValue = { ok: true; value: number | string } | { ok: false; reason: string };

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
