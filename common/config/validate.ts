import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { DURATION_PATTERN, parseDuration } from './units.js';
import type { ConfigIssue, PathSegment, YamlSource } from './yaml-source.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: false });
const durationShape = new RegExp(DURATION_PATTERN);
// `minDuration: "1s"` on a duration string (see DurationAtLeast). A value that is not a duration at
// all passes here: the pattern keyword already reports it, and one problem needs one line.
ajv.addKeyword({
  keyword: 'minDuration',
  type: 'string',
  schemaType: 'string',
  validate: (min: string, data: string) => !durationShape.test(data) || parseDuration(data) >= parseDuration(min),
});
const compiled = new WeakMap<TSchema, ValidateFunction>();

/**
 * Validates `value` (which sits at `basePath` inside `source`) against a schema, filling defaults in
 * place. Returns every problem at once, each pointing at the line that causes it.
 */
export function validateAgainst(schema: TSchema, value: unknown, source: YamlSource, basePath: PathSegment[] = []): ConfigIssue[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return summarise(validate.errors ?? []).map((error) => toIssue(error, source, basePath));
}

/**
 * ajv reports each failed branch of a union separately; a person wants one line saying what the
 * union accepts. Branch errors under a failed anyOf are dropped and the anyOf speaks for them.
 */
function summarise(errors: ErrorObject[]): ErrorObject[] {
  const unionPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  const kept = errors.filter(
    (e) => e.keyword === 'anyOf' || !unionPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)),
  );
  const seen = new Set<string>();
  return kept.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toIssue(error: ErrorObject, source: YamlSource, basePath: PathSegment[]): ConfigIssue {
  const path = [...basePath, ...pointerToPath(error.instancePath)];
  const parent = error.parentSchema as
    | { description?: string; properties?: Record<string, unknown>; patternProperties?: Record<string, { description?: string }>; secret?: boolean; minDuration?: string }
    | undefined;
  const described = parent?.description ? `expected ${parent.description}` : undefined;
  const shown = describeValue(error.data, parent);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const keyRule = parent?.patternProperties && Object.keys(parent.properties ?? {}).length === 0 ? patternKeyWords(parent.patternProperties) : undefined;
      if (keyRule !== undefined) return source.issueAt([...path, key], `key "${key}" is not allowed: expected ${keyRule}`, true);
      const allowed = Object.keys(parent?.properties ?? {}).join(', ');
      return source.issueAt([...path, key], `unknown key "${key}"; expected one of: ${allowed}`, true);
    }
    case 'required': {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      return source.issueAt(path, `missing required key "${key}"`);
    }
    case 'anyOf':
    case 'enum':
    case 'const':
      return source.issueAt(path, `${described ?? 'value not allowed'}, got ${shown}`);
    case 'pattern':
      // Never show the regular expression itself: technicians read these messages, not regex.
      return source.issueAt(path, `${described ?? 'the text has the wrong form'}, got ${shown}`);
    case 'minDuration':
      return source.issueAt(path, `${described ?? `expected a duration of at least ${parent?.minDuration ?? '?'}`}, got ${shown}`);
    case 'type': {
      const type = String((error.params as { type: string }).type);
      // A text setting's description already says what to write ("a duration such as ..."); a
      // bare number where a duration belongs is the usual mistake, and "expected string" hides that.
      if (type === 'string' && parent?.description) return source.issueAt(path, `expected ${parent.description}, got ${shown}`);
      return source.issueAt(path, `expected ${type}${parent?.description ? ` (${parent.description})` : ''}, got ${shown}`);
    }
    default:
      return source.issueAt(path, `${error.message ?? 'invalid value'}${described ? ` (${described})` : ''}, got ${shown}`);
  }
}

/** What the keys of a record must look like, in words (the key schemas carry a description). */
function patternKeyWords(patternProperties: Record<string, unknown>): string {
  const described = Object.keys(patternProperties).map((pattern) => KEY_WORDS[pattern]);
  return described.every((d) => d !== undefined) ? described.join(' or ') : 'a key of another form';
}

/** TypeBox keeps only the key pattern of a Record, not its description; so name the ones in use. */
const KEY_WORDS: Record<string, string> = {
  '^[a-z][a-z0-9_]*$': 'a snake_case name (lowercase letters, digits and "_", starting with a letter)',
  '^-?[0-9]+$': 'an integer such as "0" or "-1"',
};

function describeValue(data: unknown, schema: { secret?: boolean; description?: string } | undefined): string {
  if (schema?.secret) return 'a value that is not shown because it may be a secret';
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a mapping';
  return JSON.stringify(data);
}

function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^[0-9]+$/.test(segment) ? Number(segment) : segment));
}
