import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import type { ConfigIssue, PathSegment, YamlSource } from './yaml-source.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: false });
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
  const parent = error.parentSchema as { description?: string; properties?: Record<string, unknown>; secret?: boolean } | undefined;
  const described = parent?.description ? `expected ${parent.description}` : undefined;
  const shown = describeValue(error.data, parent);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
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
      return source.issueAt(path, `${described ?? `expected text matching ${String((error.params as { pattern: string }).pattern)}`}, got ${shown}`);
    case 'type':
      return source.issueAt(path, `expected ${String((error.params as { type: string }).type)}${parent?.description ? ` (${parent.description})` : ''}, got ${shown}`);
    default:
      return source.issueAt(path, `${error.message ?? 'invalid value'}${described ? ` (${described})` : ''}, got ${shown}`);
  }
}

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
