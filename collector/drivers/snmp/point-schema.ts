import { Type, type Static, type TObject } from '@sinclair/typebox';
import { FieldName } from '../../../common/config/primitives.js';
import type { MeaningKeys } from '../driver-config.js';

const Oid = Type.String({ pattern: '^\\.?[0-9]+(\\.[0-9]+)+$', description: 'a numeric OID such as 1.3.6.1.2.1.33.1.2.4.0' });

/** The address keys of an SNMP template point: a scalar OID or a table column. */
export const SNMP_POINT = {
  oid: Type.Optional(Oid),
  column: Type.Optional(Oid),
  // The tag telling a column's rows apart. Same words as every field name, so messages stay alike.
  index_tag: Type.String({ pattern: FieldName.pattern, description: FieldName.description, default: 'index' }),
  index_names: Type.Optional(
    Type.Object(
      {
        column: Oid,
        map: Type.Record(Type.String(), Type.String({ pattern: '^[A-Za-z0-9_.-]+$', description: 'a row name (letters, digits, "_", "-", ".")' })),
      },
      { additionalProperties: false, description: 'name rows by the value of another column (e.g. a sensor-type OID) instead of their index' },
    ),
  ),
  value_type: Type.Union([Type.Literal('number'), Type.Literal('string'), Type.Literal('numeric_string')], {
    default: 'number',
    description: 'number (default), string, or numeric_string (a number sent as text)',
  }),
};
export type SnmpPointInput = Static<TObject<typeof SNMP_POINT>> & MeaningKeys;
