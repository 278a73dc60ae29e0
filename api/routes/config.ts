import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ERROR_RESPONSES } from '../errors.js';
import { effectiveConfig, type LoadedConfig } from '../redact.js';
import { NoQuery } from './common.js';

const EffectiveConfig = Type.Object(
  { file: Type.String(), devices: Type.Array(Type.Object({}, { additionalProperties: true })), sites: Type.Array(Type.Object({}, { additionalProperties: true })) },
  { additionalProperties: true, description: 'the configuration as loaded (defaults filled in, durations in ms); every secret and URL credential reads "<secret>"' },
);

/** GET /api/config (admin): what the daemon runs with, secrets hidden. */
export function configRoutes(app: FastifyInstance, running: () => LoadedConfig): void {
  app.get(
    '/api/config',
    { config: { access: 'admin' }, schema: { summary: 'The effective configuration, secrets hidden', querystring: NoQuery, response: { 200: EffectiveConfig, ...ERROR_RESPONSES } } },
    () => effectiveConfig(running()),
  );
}
