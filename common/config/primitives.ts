import { Type } from '@sinclair/typebox';
import { DURATION_PATTERN, SIZE_PATTERN } from './units.js';

/** Building blocks shared by every configuration schema. */
const strict = { additionalProperties: false } as const;

export const Identifier = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
  description: 'an identifier (letters, digits, "_", "-", "."; no spaces)',
});
/** A measurement, field, tag or rule name as InfluxDB and rules see it. */
export const FieldName = Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'a snake_case name' });
const DURATION_WORDS = 'a duration such as "500ms", "10s", "5m", "1h", "30d"';
export const Duration = Type.String({ pattern: DURATION_PATTERN, description: DURATION_WORDS });

/**
 * A duration with a floor, for settings where 0 (or next to nothing) is meaningless or turns a
 * timer into a busy loop. `minDuration` is checked by the ajv keyword defined in validate.ts.
 */
export function DurationAtLeast(min: string, options: { default?: string; meaning?: string } = {}) {
  const meaning = options.meaning ? ` (${options.meaning})` : '';
  return Type.String({
    pattern: DURATION_PATTERN,
    minDuration: min,
    ...(options.default === undefined ? {} : { default: options.default }),
    description: `${DURATION_WORDS}, at least ${min}${meaning}`,
  });
}

export const Size = (defaultValue: string) =>
  Type.String({ pattern: SIZE_PATTERN, default: defaultValue, description: 'a size such as "512KiB", "256MiB", "1GiB" (units B, KiB, MiB, GiB, KB, MB, GB)' });

// 0..65535 spelt out, so validate catches "99999" instead of listen() failing at start.
const PORT_PATTERN = '([0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';

/**
 * host:port to listen on. Port 0 stays allowed: it asks the system for a free port (the daemon logs
 * the one it got), which tests and side-by-side instances rely on.
 */
export const ListenAddress = (defaultValue: string, meaning: string) =>
  Type.String({ pattern: `^[^:\\s]+:${PORT_PATTERN}$`, default: defaultValue, description: `host:port with a port from 1 to 65535 (0 picks a free port); ${meaning}` });

export const Labels = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'a snake_case label name' }), Type.String(), {
  description: 'labels: snake_case keys with string values; they become InfluxDB tags',
  // Without this a key such as "Rack" would pass the pattern silently instead of being refused.
  additionalProperties: false,
});

/** A credential: a literal string or `{ env: NAME }` to read it from the environment. */
export const SecretValue = Type.Union(
  [Type.String({ minLength: 1 }), Type.Object({ env: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }) }, strict)],
  { description: 'a secret: a non-empty string or { env: VARIABLE_NAME }', secret: true },
);

