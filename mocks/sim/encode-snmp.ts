import type { SnmpColumnPoint, SnmpScalarPoint } from '../../collector/drivers/snmp/types.js';

/** A template value turned back into what the agent sends: raw integer, text or OID. */
export function snmpRaw(point: SnmpScalarPoint | SnmpColumnPoint, value: number | string): number | string {
  if (typeof value === 'string') {
    // Reverse the template's value_names, so the collector's renaming is exercised too.
    const original = Object.entries(point.valueNames ?? {}).find(([, name]) => name === value)?.[0];
    return original ?? value;
  }
  if (point.valueType !== 'number') return String(value);
  return Math.round((value - point.offset) / point.scale);
}

/** Text columns whose every named value is an OID are OBJECT IDENTIFIER columns (AutonomousType). */
export function isOidValued(point: SnmpScalarPoint | SnmpColumnPoint): boolean {
  const names = Object.keys(point.valueNames ?? {});
  return point.valueType === 'string' && names.length > 0 && names.every((n) => /^[0-9]+(\.[0-9]+)+$/.test(n));
}
