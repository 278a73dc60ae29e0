import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySchemaValidationError } from 'fastify';
import type { Secret } from '../common/config/secret.js';
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
  /** The clock silences are checked against (tests pass their own). */
  now?: () => number;
}

/**
 * A silence hides real alarms for as long as it lasts. Planned works on a UPS or CRAC last hours
 * to days; one forgotten for longer than a month hides every alarm it matches, so the API stops at
 * 30 days. Longer or recurring quiet times belong in maintenance_windows, in the reviewed config.
 */
export const MAX_SILENCE_DAYS = 30;
const MAX_SILENCE_MS = MAX_SILENCE_DAYS * 86_400_000;
/** A silence names a few labels (site, device, rule, phase); hundreds of matchers is abuse, not use. */
export const MAX_MATCHERS = 20;
const MAX_MATCHER_KEY = 64;
const MAX_MATCHER_VALUE = 256;

/**
 * The HTTP API (fastify), built here and listened on by the run command. Reads are open on the
 * bind address (loopback by default); writes need `Authorization: Bearer <api.token>`, and are
 * refused outright when no token is configured.
 */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  const now = deps.now ?? Date.now;
  app.setErrorHandler(async (error: FastifyError, _request, reply) => {
    if (!error.validation) return reply.code(error.statusCode ?? 500).send({ code: error.code ?? 'ERROR', message: (error.statusCode ?? 500) < 500 ? error.message : 'internal error' });
    const where = error.validationContext ?? 'body';
    const messages = new Set(error.validation.filter((e) => e.keyword !== 'propertyNames').map((e) => explainInvalid(where, e)));
    return reply.code(400).send({ code: 'BAD_REQUEST', message: [...messages].join('; ') });
  });

  app.get('/api/health', () => deps.health());

  app.get('/api/alerts', () => ({ active: deps.alerts.active(), recent: deps.alerts.recent().slice(0, 100) }));

  /** Writes need the configured bearer token; reads do not. Only the `Bearer` scheme is accepted. */
  const authorised = (authorization: string | undefined): { code: number; body: object } | undefined => {
    if (!deps.token) return { code: 403, body: { code: 'WRITES_DISABLED', message: 'writes need api.token in the configuration' } };
    const bearer = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    const given = Buffer.from(bearer?.[1] ?? '');
    const expected = Buffer.from(deps.token.reveal());
    if (!bearer || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { code: 401, body: { code: 'UNAUTHORIZED', message: 'missing or wrong token: send "Authorization: Bearer <api.token>"' } };
    }
    return undefined;
  };
  // An onRequest hook runs before the body is parsed or validated: an unauthenticated caller
  // learns nothing about the schema, and a huge body is not even read.
  const requireToken = async (request: FastifyRequest, reply: FastifyReply) => {
    const denied = authorised(request.headers.authorization);
    if (denied) await reply.code(denied.code).send(denied.body);
  };

  app.get('/api/silences', () => deps.silences.list());

  app.post<{ Body: { matchers: Record<string, string>; starts?: string; ends: string; author: string; reason: string } }>(
    '/api/silences',
    {
      onRequest: requireToken,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['matchers', 'ends', 'author', 'reason'],
          properties: {
            matchers: {
              type: 'object',
              minProperties: 1,
              maxProperties: MAX_MATCHERS,
              propertyNames: { pattern: '^[a-z][a-z0-9_]*$', maxLength: MAX_MATCHER_KEY },
              additionalProperties: { type: 'string', minLength: 1, maxLength: MAX_MATCHER_VALUE },
            },
            starts: { type: 'string', format: 'date-time' },
            ends: { type: 'string', format: 'date-time' },
            author: { type: 'string', minLength: 1, maxLength: 100 },
            reason: { type: 'string', minLength: 1, maxLength: 2000 },
          },
        },
      },
    },
    async (request, reply) => {
      const { matchers, starts, ends, author, reason } = request.body;
      const at = now();
      const startsAt = starts ? Date.parse(starts) : at;
      const endsAt = Date.parse(ends);
      const bad = (message: string) => reply.code(400).send({ code: 'BAD_INTERVAL', message });
      if (!(endsAt > startsAt)) return bad('"ends" must be after "starts"');
      if (!(endsAt > at)) return bad('"ends" is in the past: the silence would never apply');
      if (endsAt - at > MAX_SILENCE_MS) {
        return bad(`"ends" is more than ${MAX_SILENCE_DAYS} days away; a silence may last at most ${MAX_SILENCE_DAYS} days (use maintenance_windows in the configuration for recurring quiet times)`);
      }
      return reply.code(201).send(deps.silences.add({ matchers, startsAt, endsAt, author, reason }));
    },
  );

  app.delete<{ Params: { id: string } }>('/api/silences/:id', { onRequest: requireToken }, async (request, reply) => {
    return deps.silences.expire(request.params.id) ? { expired: request.params.id } : reply.code(404).send({ code: 'NOT_FOUND', message: `no silence ${request.params.id} made through the API` });
  });

  app.post<{ Params: { id: string }; Body: { by: string; note?: string } }>(
    '/api/alerts/:id/ack',
    {
      onRequest: requireToken,
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
      const result = deps.alerts.acknowledge(request.params.id, request.body.by, request.body.note);
      if ('error' in result) return reply.code(result.error.startsWith('no active') ? 404 : 409).send({ code: result.error.startsWith('no active') ? 'NOT_FOUND' : 'ALREADY_ACKNOWLEDGED', message: result.error });
      return result;
    },
  );
  return app;
}

/** A validation failure in words a caller can act on; ajv's wording ("properties") is for schema authors. */
function explainInvalid(where: string, error: FastifySchemaValidationError): string {
  const at = `${where}${error.instancePath.replace(/\//g, '.')}`;
  const params = error.params as { limit?: number; propertyName?: string; additionalProperty?: string };
  if (at === 'body.matchers' && error.keyword === 'maxProperties') return `${at}: at most ${MAX_MATCHERS} matchers`;
  if (at === 'body.matchers' && error.keyword === 'minProperties') return `${at}: at least one matcher, e.g. { "device": "ups-3" }`;
  // An error inside propertyNames names the offending key; ajv then repeats it as "propertyNames".
  const key = (error as { propertyName?: string }).propertyName ?? params.propertyName;
  if (key !== undefined) {
    return `${at}: matcher name "${key.slice(0, MAX_MATCHER_KEY)}" is not allowed: snake_case labels (e.g. device, rule, phase) of at most ${MAX_MATCHER_KEY} characters`;
  }
  if (at === 'params.id' && error.keyword === 'pattern') return `${at}: an alert id is 10 hexadecimal digits, e.g. 3f9c2a1b07`;
  if (error.keyword === 'format') return `${at}: expected an ISO 8601 time with its offset, e.g. 2026-11-22T04:00:00+08:00`;
  if (error.keyword === 'maxLength') return `${at}: at most ${params.limit} characters`;
  if (error.keyword === 'additionalProperties') return `${at}: unknown key "${params.additionalProperty}"`;
  return `${at} ${error.message ?? 'is invalid'}`;
}
