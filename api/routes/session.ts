import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ROLES } from '../access.js';
import type { Authenticator } from '../auth.js';
import { ERROR_RESPONSES } from '../errors.js';

/** Long enough for any token `roomwatch token new` makes or a person chose for api.token; short enough to hash for nothing. */
const MAX_TOKEN = 512;

export const LoginBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: MAX_TOKEN }) }, { additionalProperties: false });
export const SessionView = Type.Object(
  { name: Type.String(), role: Type.Union(ROLES.map((r) => Type.Literal(r))) },
  { additionalProperties: false, description: 'who the session (or bearer token) belongs to' },
);
const NoContent = Type.Null({ description: 'no body' });

/**
 * The console's login: POST /api/session trades a token for an HttpOnly session cookie (the token
 * is then forgotten by the browser page), GET says whose it is, DELETE ends it.
 */
export function sessionRoutes(app: FastifyInstance, auth: Authenticator): void {
  app.post<{ Body: Static<typeof LoginBody> }>(
    '/api/session',
    { config: { access: 'public' }, schema: { summary: 'Log in: trade a token for the console session cookie', body: LoginBody, response: { 204: NoContent, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const outcome = auth.login(request, request.body.token);
      if ('refuse' in outcome) return outcome.refuse(reply);
      // For the audit line: who logged in.
      request.identity = outcome.identity;
      return reply.code(204).header('set-cookie', auth.cookie(outcome.sessionId)).send();
    },
  );

  app.get('/api/session', { schema: { summary: 'Whose credentials these are: name and role', response: { 200: SessionView, ...ERROR_RESPONSES } } }, (request) => ({ name: request.identity!.name, role: request.identity!.role }));

  app.delete('/api/session', { schema: { summary: 'Log out: end the console session', response: { 204: NoContent, ...ERROR_RESPONSES } } }, async (request, reply) => {
    auth.logout(request);
    return reply.code(204).header('set-cookie', auth.cookie()).send();
  });
}
