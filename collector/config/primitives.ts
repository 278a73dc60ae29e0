import { Type } from '@sinclair/typebox';
import { DURATION_PATTERN } from './units.js';

/** Building blocks shared by every configuration schema. */
const strict = { additionalProperties: false } as const;

export const Identifier = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
  description: 'an identifier (letters, digits, "_", "-", "."; no spaces)',
});
export const Duration = Type.String({ pattern: DURATION_PATTERN, description: 'a duration such as "500ms", "10s", "5m", "1h", "30d"' });
export const Labels = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Type.String(), {
  description: 'labels: snake_case keys with string values; they become InfluxDB tags',
});

/** A credential: a literal string or `{ env: NAME }` to read it from the environment. */
export const SecretValue = Type.Union(
  [Type.String({ minLength: 1 }), Type.Object({ env: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }) }, strict)],
  { description: 'a secret: a non-empty string or { env: VARIABLE_NAME }', secret: true },
);

