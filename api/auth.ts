import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Secret } from '../common/config/secret.js';
import './access.js';
import { sendError } from './errors.js';


/**
 * One hook guards every route that needs more than `viewer` (api/access.ts). Reads are open on the bind
 * address; writes need `Authorization: Bearer <api.token>` (no other scheme), and are refused
 * outright when no token is configured. It runs on onRequest, before the body is parsed or
 * validated: an unauthenticated caller learns nothing about the schema, and a huge body is not read.
 */
export function installWriteAuth(app: FastifyInstance, token: Secret | undefined): void {
  app.addHook('onRequest', async (request, reply) => {
    // Interim until roles land (issue 11): operator and admin routes need the token, the rest stay open.
    const access = request.routeOptions.config.access ?? 'viewer';
    if (access === 'viewer' || access === 'public') return;
    if (!token) return sendError(reply, 'WRITES_DISABLED', 'writes need api.token in the configuration');
    if (!bearerMatches(request.headers.authorization, token)) {
      return sendError(reply, 'UNAUTHORIZED', 'missing or wrong token: send "Authorization: Bearer <api.token>"');
    }
  });
}

function bearerMatches(authorization: string | undefined, token: Secret): boolean {
  const bearer = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  const given = Buffer.from(bearer?.[1] ?? '');
  const expected = Buffer.from(token.reveal());
  // Compared in constant time, so the answer's timing does not leak how much of a guess was right.
  return bearer !== null && given.length === expected.length && timingSafeEqual(given, expected);
}
