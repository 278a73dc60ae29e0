import type { DriverConfig } from '../driver-config.js';
import { compileSnmp, compileSnmpPoint } from './compile.js';
import { SnmpConnection, type SnmpConnectionInput } from './connection-schema.js';
import { SNMP_POINT, type SnmpPointInput } from './point-schema.js';
import type { SnmpColumnPoint, SnmpScalarPoint, SnmpTarget } from './types.js';

/** SNMP's configuration half: the `snmp:` device section and the OID points of templates. */
export const snmpConfig: DriverConfig<SnmpTarget, SnmpScalarPoint | SnmpColumnPoint> = {
  id: 'snmp',
  title: 'SNMP',
  article: 'an',
  connection: SnmpConnection,
  point: SNMP_POINT,
  supportsTraps: true,
  // The point passed the point schema built from SNMP_POINT, so it has these keys.
  compilePoint: (input, meaning, at) => compileSnmpPoint(input as unknown as SnmpPointInput, meaning, at),
  isText: (point) => point.valueType === 'string',
  // Two columns with the same field and tags are still two series when their rows are told apart by different index tags.
  seriesKey: (point) => (point.kind === 'snmp-column' ? point.indexTag : ''),
  compileTarget: (input, ctx) => compileSnmp(input as SnmpConnectionInput, ctx),
};
