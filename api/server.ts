import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Secret } from '../collector/config/secret.js';
import type { Alert } from '../alerting/alerts.js';

export interface ApiDeps {
  alerts: {
    active(): Alert[];
    recent(): Alert[];
    acknowledge(id: string, by: string, note?: string): Alert | { error: string };
  };
  health(): Record<string, unknown>;
  token?: Secret;
}

/**
 * The HTTP API (fastify), built here and listened on by the run command. Reads are open on the
 * bind address (loopback by default); writes need `Authorization: Bearer <api.token>`, and are
 * refused outright when no token is configured.
 */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const app = Fastify({ logger: false });

  app.get('/api/health', () => deps.health());

  app.get('/api/alerts', () => ({ active: deps.alerts.active(), recent: deps.alerts.recent().slice(0, 100) }));

  app.post<{ Params: { id: string }; Body: { by: string; note?: string } }>(
    '/api/alerts/:id/ack',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9a-f]{10}$' } }, required: ['id'] },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { by: { type: 'string', minLength: 1, maxLength: 100 }, note: { type: 'string', maxLength: 2000 } },
          required: ['by'],
        },
      },
    },
    async (request, reply) => {
      if (!deps.token) return reply.code(403).send({ code: 'WRITES_DISABLED', message: 'acknowledging needs api.token in the configuration' });
      const given = Buffer.from(request.headers.authorization?.replace(/^Bearer\s+/i, '') ?? '');
      const expected = Buffer.from(deps.token.reveal());
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'missing or wrong bearer token' });
      const result = deps.alerts.acknowledge(request.params.id, request.body.by, request.body.note);
      if ('error' in result) return reply.code(result.error.startsWith('no active') ? 404 : 409).send({ code: result.error.startsWith('no active') ? 'NOT_FOUND' : 'ALREADY_ACKNOWLEDGED', message: result.error });
      return result;
    },
  );
  return app;
}
