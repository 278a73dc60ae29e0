import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Identifier } from '../../common/config/primitives.js';

/**
 * Device templates: what a device's registers or OIDs mean. Drivers know how to read an address;
 * templates say which addresses, what type, what unit and which measurement/field they become.
 */

export const strict = { additionalProperties: false } as const;
export const FieldName = Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'a snake_case name' });
const Oid = Type.String({ pattern: '^\\.?[0-9]+(\\.[0-9]+)+$', description: 'a numeric OID such as 1.3.6.1.2.1.33.1.2.4.0' });

const commonPoint = {
  field: FieldName,
  measurement: Type.Optional(FieldName),
  description: Type.Optional(Type.String()),
  unit: Type.Optional(Type.String({ description: 'unit of the stored value, e.g. V, A, Hz, degC, %, %RH, min, enum' })),
  scale: Type.Optional(Type.Number({ description: 'stored = raw × scale + offset' })),
  binary_point: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 32, description: 'stored = raw / 2^binary_point + offset (instead of scale), as vendor maps with binary points define it' }),
  ),
  offset: Type.Optional(Type.Number()),
  unavailable: Type.Optional(
    Type.Array(Type.Union([Type.Number(), Type.String({ pattern: '^0[xX][0-9a-fA-F]{1,16}$' })], { description: 'a number or a hexadecimal text such as "0xFFFF"' }), {
      description: 'raw values the device sends for "not available" (numbers, 0xFFFF or "0xFFFF"); they report no value',
    }),
  ),
  states: Type.Optional(
    Type.Record(Type.String({ pattern: '^-?[0-9]+$' }), Type.String(), { description: 'names of enumerated raw values' }),
  ),
  tags: Type.Optional(Type.Record(FieldName, Type.String(), { description: 'extra tags for this point, e.g. { phase: "1" }' })),
  value_names: Type.Optional(
    Type.Record(Type.String(), Type.String(), { description: 'text values to store under another name, e.g. a well-known alarm OID → on_battery' }),
  ),
};

export const SnmpPoint = Type.Object(
  {
    ...commonPoint,
    oid: Type.Optional(Oid),
    column: Type.Optional(Oid),
    index_tag: Type.Optional(FieldName),
    index_names: Type.Optional(
      Type.Object(
        {
          column: Oid,
          map: Type.Record(Type.String(), Type.String({ pattern: '^[A-Za-z0-9_.-]+$', description: 'a row name (letters, digits, "_", "-", ".")' })),
        },
        { ...strict, description: 'name rows by the value of another column (e.g. a sensor-type OID) instead of their index' },
      ),
    ),
    value_type: Type.Optional(
      Type.Union([Type.Literal('number'), Type.Literal('string'), Type.Literal('numeric_string')], {
        description: 'number (default), string, or numeric_string (a number sent as text)',
      }),
    ),
  },
  strict,
);
export type SnmpPointInput = Static<typeof SnmpPoint>;

export const MODBUS_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64', 'bit', 'bool', 'string'] as const;

export const ModbusPoint = Type.Object(
  {
    ...commonPoint,
    register: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-4][0-9]{4,5}$' })], {
        description: 'a 1-based reference such as 30001 (input register 0) or 40001 (holding register 0)',
      }),
    ),
    function: Type.Optional(
      Type.Union(['coil', 'discrete_input', 'holding', 'input'].map((f) => Type.Literal(f)), {
        description: 'coil (FC1), discrete_input (FC2), holding (FC3) or input (FC4)',
      }),
    ),
    address: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: '0-based PDU address' })),
    type: Type.Union(
      MODBUS_TYPES.map((t) => Type.Literal(t)),
      { description: MODBUS_TYPES.join(', ') },
    ),
    order: Type.Optional(
      Type.Union(['ABCD', 'CDAB', 'BADC', 'DCBA'].map((o) => Type.Literal(o)), {
        description: 'byte/word order: ABCD (big-endian), CDAB (word swap), BADC (byte swap) or DCBA (little-endian)',
      }),
    ),
    bit: Type.Optional(Type.Integer({ minimum: 0, maximum: 31, description: 'bit of the register (0..15) or of a 32-bit bit_of value (0..31), 0 = least significant' })),
    bit_of: Type.Optional(
      Type.Union(['uint16', 'int16', 'uint32', 'int32'].map((t) => Type.Literal(t)), {
        description: 'the value a "bit" point counts bits in: uint16/int16 (one register, default) or uint32/int32 (two registers in "order")',
      }),
    ),
    length: Type.Optional(Type.Integer({ minimum: 1, maximum: 125, description: 'registers of a string' })),
  },
  strict,
);
export type ModbusPointInput = Static<typeof ModbusPoint>;

/** How the template's traps feed the alert lifecycle: a trap raises or clears a polled rule at once. */
export const TemplateTrap = Type.Object(
  {
    oid: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)+$', description: 'the notification OID (SNMPv2 form; a v1 trap enterprise.0.specific)' }),
    name: Type.String({ description: 'the trap name in its MIB' }),
    raises: Type.Optional(FieldName),
    clears: Type.Optional(FieldName),
  },
  { ...strict, description: 'a trap that raises or clears one of the template rules; the device is polled at once to confirm' },
);

const templateSchemas = new WeakMap<TSchema, TObject>();

/**
 * The template file's schema, with `rules` entries checked against `rule` (the rule compiler's
 * schema): rule errors are then listed with the template's other schema errors, as one pass.
 */
export function templateSchema(rule: TSchema): TObject<ReturnType<typeof templateKeys>> {
  let schema = templateSchemas.get(rule);
  if (!schema) {
    schema = Type.Object(templateKeys(rule), strict);
    templateSchemas.set(rule, schema);
  }
  return schema as TObject<ReturnType<typeof templateKeys>>;
}

function templateKeys(rule: TSchema) {
  return {
    name: Identifier,
    description: Type.String(),
    driver: Type.Union([Type.Literal('snmp'), Type.Literal('modbus')], { description: 'snmp or modbus' }),
    category: Type.Union(['ups', 'crac', 'power_meter', 'environment', 'leak'].map((c) => Type.Literal(c)), {
      description: 'ups, crac, power_meter, environment or leak',
    }),
    measurement: FieldName,
    sources: Type.Optional(Type.Array(Type.String())),
    points: Type.Array(Type.Unknown(), { minItems: 1 }),
    rules: Type.Array(rule, { default: [] }),
    traps: Type.Array(TemplateTrap, { default: [] }),
  };
}
/** A template as its schema accepts it; each `rules` entry is for the rule compiler to read. */
export type TemplateInput = Static<TObject<ReturnType<typeof templateKeys>>>;
