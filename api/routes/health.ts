import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ERROR_RESPONSES } from '../errors.js';
import { NoQuery } from './common.js';

/**
 * GET /api/health. The composition root decides what goes in (sink, outbox, traps, reload state),
 * so the schema fixes only `status` and lets the rest through as given: a part that adds a figure
 * must not see it silently dropped by the serializer.
 */
export const HealthSchema = Type.Object({ status: Type.String() }, { additionalProperties: true });

export function healthRoutes(app: FastifyInstance, health: () => Record<string, unknown>): void {
  app.get('/api/health', { config: { access: 'viewer' }, schema: { summary: "The daemon's health figures", querystring: NoQuery, response: { 200: HealthSchema, ...ERROR_RESPONSES } } }, () => health());
}
