import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Silence } from '../../alerting/core/mute.js';
import { ERROR_RESPONSES, sendError } from '../errors.js';
import { NoQuery } from './common.js';
import { MAX_AUTHOR, MAX_MATCHER_KEY, MAX_MATCHER_VALUE, MAX_MATCHERS, MAX_SILENCE_DAYS, MAX_SILENCE_MS, MAX_TEXT } from '../limits.js';

/** What the silence routes read and do; the engine provides it in the daemon, tests a fake. */
export interface SilencesDeps {
  list(): Silence[];
  add(input: Omit<Silence, 'id'>): Silence;
  expire(id: string): boolean;
}

/**
 * Matchers are a map of label → value. Spelled with propertyNames (not patternProperties), so a
 * bad label fails as that label, which explainInvalid turns into "matcher name … is not allowed".
 */
const Matchers = Type.Unsafe<Record<string, string>>(
  Type.Object(
    {},
    {
      minProperties: 1,
      maxProperties: MAX_MATCHERS,
      propertyNames: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: MAX_MATCHER_KEY }),
      additionalProperties: Type.String({ minLength: 1, maxLength: MAX_MATCHER_VALUE }),
    },
  ),
);

export const SilenceBody = Type.Object(
  {
    matchers: Matchers,
    starts: Type.Optional(Type.String({ format: 'date-time' })),
    ends: Type.String({ format: 'date-time' }),
    author: Type.String({ minLength: 1, maxLength: MAX_AUTHOR }),
    reason: Type.String({ minLength: 1, maxLength: MAX_TEXT }),
  },
  { additionalProperties: false },
);

/** A silence as the API shows it: alerting's Silence, times in epoch milliseconds. */
export const SilenceSchema = Type.Object(
  {
    id: Type.String(),
    matchers: Type.Record(Type.String(), Type.String()),
    startsAt: Type.Number(),
    endsAt: Type.Number(),
    author: Type.String(),
    reason: Type.String(),
  },
  { additionalProperties: false },
);

const SilenceId = Type.Object({ id: Type.String() });
const Expired = Type.Object({ expired: Type.String() });

/** GET /api/silences (open); POST /api/silences and DELETE /api/silences/:id (writes). */
export function silencesRoutes(app: FastifyInstance, silences: SilencesDeps, now: () => number): void {
  app.get('/api/silences', { config: { access: 'viewer' }, schema: { summary: 'Silences made through the API and the configuration', querystring: NoQuery, response: { 200: Type.Array(SilenceSchema), ...ERROR_RESPONSES } } }, () => silences.list());

  app.post<{ Body: Static<typeof SilenceBody> }>(
    '/api/silences',
    { config: { access: 'operator' }, schema: { summary: 'Silence alerts matching labels for a while', body: SilenceBody, response: { 201: SilenceSchema, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const { matchers, starts, ends, author, reason } = request.body;
      const at = now();
      const startsAt = starts ? Date.parse(starts) : at;
      const endsAt = Date.parse(ends);
      const bad = (message: string) => sendError(reply, 'BAD_INTERVAL', message);
      if (!(endsAt > startsAt)) return bad('"ends" must be after "starts"');
      if (!(endsAt > at)) return bad('"ends" is in the past: the silence would never apply');
      if (endsAt - at > MAX_SILENCE_MS) {
        return bad(`"ends" is more than ${MAX_SILENCE_DAYS} days away; a silence may last at most ${MAX_SILENCE_DAYS} days (use maintenance_windows in the configuration for recurring quiet times)`);
      }
      return reply.code(201).send(silences.add({ matchers, startsAt, endsAt, author, reason }));
    },
  );

  app.delete<{ Params: Static<typeof SilenceId> }>(
    '/api/silences/:id',
    { config: { access: 'operator' }, schema: { summary: 'End a silence made through the API', params: SilenceId, response: { 200: Expired, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const { id } = request.params;
      return silences.expire(id) ? { expired: id } : sendError(reply, 'NOT_FOUND', `no silence ${id} made through the API`);
    },
  );
}
