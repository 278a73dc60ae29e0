import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { FieldName, Identifier } from '../../common/config/primitives.js';
import { DRIVERS, type Driver } from '../drivers/registry.js';

/**
 * Device templates: what a device's registers or OIDs mean. Drivers know how to read an address;
 * templates say which addresses, what type, what unit and which measurement/field they become.
 */

export const strict = { additionalProperties: false } as const;

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
    Type.Record(
      Type.String({ pattern: '^-?[0-9]+$' }),
      Type.Union([Type.String({ minLength: 1 }), Type.Object({ en: Type.String({ minLength: 1 }), 'zh-CN': Type.String({ minLength: 1 }) }, { additionalProperties: false })], {
        description: 'a state name, or its name in each language: { en: on battery, zh-CN: 电池供电 }',
      }),
      { description: 'names of enumerated raw values, as messages show them' },
    ),
  ),
  tags: Type.Optional(Type.Record(FieldName, Type.String(), { description: 'extra tags for this point, e.g. { phase: "1" }' })),
  value_names: Type.Optional(
    Type.Record(Type.String(), Type.String(), { description: 'text values to store under another name, e.g. a well-known alarm OID → on_battery' }),
  ),
};

/** What a template point means, whatever its driver: the keys before the driver's address keys. */
const MEANING = commonPoint;
export type MeaningInput = Static<TObject<typeof MEANING>>;

const pointSchemas = new Map<string, TObject>();

/** A template point's schema for `driver`: the meaning keys, then the driver's address keys. */
export function templatePointSchema(driver: Driver): TObject {
  let schema = pointSchemas.get(driver.id);
  if (!schema) {
    schema = Type.Object({ ...MEANING, ...driver.point }, strict);
    pointSchemas.set(driver.id, schema);
  }
  return schema;
}

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

/** What a template says it is: the fault category of its rules and its comms severity follow from it. */
export const TEMPLATE_CATEGORIES = ['ups', 'crac', 'power_meter', 'environment', 'leak'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
const SEVERITY = Type.Union(SEVERITIES.map((s) => Type.Literal(s)), { description: SEVERITIES.join(', ') });

/**
 * Comms-loss severity when the template names none: a UPS, a CRAC or a leak detector that stops
 * answering hides the faults that matter most (mains, cooling, water); a meter or a room sensor
 * less so, and its neighbours often still report.
 */
export const DEFAULT_COMMS_SEVERITY: Readonly<Record<TemplateCategory, 'major' | 'minor'>> = {
  ups: 'major', crac: 'major', leak: 'major', power_meter: 'minor', environment: 'minor',
};

const TemplateComms = Type.Object(
  { severity: SEVERITY },
  { ...strict, description: 'the device_comms_lost alert of this type; default severity by category (ups, crac, leak major; power_meter, environment minor)' },
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
    driver: Type.Union(
      DRIVERS.map((d) => Type.Literal(d.id)),
      { description: DRIVERS.map((d) => d.id).join(' or ') },
    ),
    category: Type.Union(TEMPLATE_CATEGORIES.map((c) => Type.Literal(c)), {
      description: TEMPLATE_CATEGORIES.join(', '),
    }),
    measurement: FieldName,
    sources: Type.Optional(Type.Array(Type.String())),
    points: Type.Array(Type.Unknown(), { minItems: 1 }),
    rules: Type.Array(rule, { default: [] }),
    traps: Type.Array(TemplateTrap, { default: [] }),
    comms: Type.Optional(TemplateComms),
  };
}
/** A template as its schema accepts it; each `rules` entry is for the rule compiler to read. */
export type TemplateInput = Static<TObject<ReturnType<typeof templateKeys>>>;
