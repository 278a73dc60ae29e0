import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Secret } from '../collector/config/secret.js';
import type { Alert } from '../alerting/alerts.js';
import type { Silence } from '../alerting/core/mute.js';

export interface ApiDeps {
  silences: {
    list(): Silence[];
    add(input: Omit<Silence, 'id'>): Silence;
    expire(id: string): boolean;
  };
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

  /** Writes need the configured bearer token; reads do not. */
  const authorised = (authorization: string | undefined): { code: number; body: object } | undefined => {
    if (!deps.token) return { code: 403, body: { code: 'WRITES_DISABLED', message: 'writes need api.token in the configuration' } };
    const given = Buffer.from(authorization?.replace(/^Bearer\s+/i, '') ?? '');
    const expected = Buffer.from(deps.token.reveal());
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { code: 401, body: { code: 'UNAUTHORIZED', message: 'missing or wrong bearer token' } };
    return undefined;
  };

  app.get('/api/silences', () => deps.silences.list());

  app.post<{ Body: { matchers: Record<string, string>; starts?: string; ends: string; author: string; reason: string } }>(
    '/api/silences',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['matchers', 'ends', 'author', 'reason'],
          properties: {
            matchers: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } },
            starts: { type: 'string', format: 'date-time' },
            ends: { type: 'string', format: 'date-time' },
            author: { type: 'string', minLength: 1, maxLength: 100 },
            reason: { type: 'string', minLength: 1, maxLength: 2000 },
          },
        },
      },
    },
    async (request, reply) => {
      const denied = authorised(request.headers.authorization);
      if (denied) return reply.code(denied.code).send(denied.body);
      const { matchers, starts, ends, author, reason } = request.body;
      const startsAt = starts ? Date.parse(starts) : Date.now();
      const endsAt = Date.parse(ends);
      if (!(endsAt > startsAt)) return reply.code(400).send({ code: 'BAD_INTERVAL', message: '"ends" must be after "starts"' });
      return reply.code(201).send(deps.silences.add({ matchers, startsAt, endsAt, author, reason }));
    },
  );

  app.delete<{ Params: { id: string } }>('/api/silences/:id', async (request, reply) => {
    const denied = authorised(request.headers.authorization);
    if (denied) return reply.code(denied.code).send(denied.body);
    return deps.silences.expire(request.params.id) ? { expired: request.params.id } : reply.code(404).send({ code: 'NOT_FOUND', message: `no silence ${request.params.id} made through the API` });
  });

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
      const denied = authorised(request.headers.authorization);
      if (denied) return reply.code(denied.code).send(denied.body);
      const result = deps.alerts.acknowledge(request.params.id, request.body.by, request.body.note);
      if ('error' in result) return reply.code(result.error.startsWith('no active') ? 404 : 409).send({ code: result.error.startsWith('no active') ? 'NOT_FOUND' : 'ALREADY_ACKNOWLEDGED', message: result.error });
      return result;
    },
  );
  return app;
}
