import type { FastifySchemaValidationError } from 'fastify';
import { ID_PATTERN, MAX_MATCHER_KEY, MAX_MATCHERS } from './limits.js';

/** A validation failure in words a caller can act on; ajv's wording ("properties") is for schema authors. */
export function explainInvalid(where: string, error: FastifySchemaValidationError, idName = 'an alert id', idShape = 'is 10 hexadecimal digits, e.g. 3f9c2a1b07'): string {
  const at = `${where}${error.instancePath.replace(/\//g, '.')}`;
  const params = error.params as { limit?: number; propertyName?: string; additionalProperty?: string };
  if (at === 'body.matchers' && error.keyword === 'maxProperties') return `${at}: at most ${MAX_MATCHERS} matchers`;
  if (at === 'body.matchers' && error.keyword === 'minProperties') return `${at}: at least one matcher, e.g. { "device": "ups-3" }`;
  // An error inside propertyNames names the offending key; ajv then repeats it as "propertyNames".
  const key = (error as { propertyName?: string }).propertyName ?? params.propertyName;
  if (key !== undefined) {
    return `${at}: matcher name "${key.slice(0, MAX_MATCHER_KEY)}" is not allowed: snake_case labels (e.g. device, rule, phase) of at most ${MAX_MATCHER_KEY} characters`;
  }
  if (at === 'params.id' && error.keyword === 'pattern') return `${at}: ${idName} ${idShape}`;
  if (error.keyword === 'pattern' && (params as { pattern?: string }).pattern === ID_PATTERN) return `${at}: expected an id as in the configuration (letters, digits, "_", "-", "."), e.g. ups-3`;
  if (error.keyword === 'format') return `${at}: expected an ISO 8601 time with its offset, e.g. 2026-11-22T04:00:00+08:00`;
  if (error.keyword === 'maxLength') return `${at}: at most ${params.limit} characters`;
  if (error.keyword === 'additionalProperties') return `${at}: unknown key "${params.additionalProperty}"`;
  return `${at} ${error.message ?? 'is invalid'}`;
}
