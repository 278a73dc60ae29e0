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
