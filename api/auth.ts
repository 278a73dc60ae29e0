import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAllows, type Identity } from './access.js';
import type { Credentials } from './credentials.js';
import { sendError } from './errors.js';
import type { FailureLimiter } from './failures.js';
import type { SessionStore } from './sessions.js';

export const SESSION_COOKIE = 'roomwatch_session';
/** Header a cookie-authenticated write must carry: a cross-site form or link cannot set it (CSRF). */
export const CSRF_HEADER = 'x-roomwatch-request';

/** Why a request was refused as unauthenticated, for whoever counts them (the daemon's metrics). */
export type AuthFailure = 'missing' | 'malformed' | 'wrong_token' | 'session' | 'rate_limited';

export interface AuthOptions {
  credentials: Credentials;
  sessions: SessionStore;
  failures: FailureLimiter;
  /** The API is served over TLS: the session cookie gets `Secure`. */
  secure: boolean;
  onAuthFailure?: (reason: AuthFailure) => void;
}

type Refusal = { refuse: (reply: FastifyReply) => FastifyReply };
type Outcome = { identity: Identity } | Refusal;

/**
 * Decides who a request comes from (api/access.ts): a bearer token, or the console's session cookie.
 * Both the hook guarding every route and the login route go through it, so the rate limit and the
 * failure count see every attempt.
 */
export class Authenticator {
  constructor(private readonly options: AuthOptions) {}

  /** Who sent the request, or how to refuse it (401, 403 for a write without the CSRF header, 429). */
  authenticate(request: FastifyRequest): Outcome {
    const { authorization } = request.headers;
    if (authorization !== undefined) {
      const bearer = /^Bearer +(\S+) *$/i.exec(authorization);
      if (!bearer) return this.#failed('malformed', 'the Authorization header must be "Bearer <token>"');
      return this.#token(request, bearer[1]!, 'bearer');
    }
    const sessionId = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (sessionId) return this.#session(request, sessionId);
    if (this.options.credentials.empty) {
      return this.#failed('missing', 'the API has no users: add api.users (roomwatch token new) or api.token to the configuration');
    }
    return this.#failed('missing', 'credentials needed: send "Authorization: Bearer <token>", or log in to the console (POST /api/session)');
  }

  /** The login (POST /api/session): the token's holder and a new session id, or how to refuse. */
  login(request: FastifyRequest, token: string): { identity: Identity; sessionId: string } | Refusal {
    const outcome = this.#token(request, token, 'session');
    if ('refuse' in outcome) return outcome;
    return { identity: outcome.identity, sessionId: this.options.sessions.open(outcome.tokenHash) };
  }

  logout(request: FastifyRequest): void {
    const sessionId = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (sessionId) this.options.sessions.close(sessionId);
  }

  /** Set-Cookie for a new session; without an id, the one that removes it. */
  cookie(sessionId?: string): string {
    const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(this.options.secure ? ['Secure'] : []), ...(sessionId === undefined ? ['Max-Age=0'] : [])];
    return [`${SESSION_COOKIE}=${sessionId ?? ''}`, ...attributes].join('; ');
  }

  #token(request: FastifyRequest, token: string, via: Identity['via']): { identity: Identity; tokenHash: string } | Refusal {
    const wait = this.options.failures.retryAfter(request.ip);
    if (wait > 0) {
      this.options.onAuthFailure?.('rate_limited');
      return {
        refuse: (reply) =>
          sendError(reply.header('retry-after', String(wait)), 'TOO_MANY_ATTEMPTS', `too many failed authentications from ${request.ip}; try again in ${wait} s`),
      };
    }
    const holder = this.options.credentials.verify(token);
    if (!holder) {
      this.options.failures.fail(request.ip);
      return this.#failed('wrong_token', 'wrong token: it matches no api.users entry and not api.token');
    }
    return { identity: { name: holder.name, role: holder.role, via }, tokenHash: holder.tokenHash };
  }

  #session(request: FastifyRequest, sessionId: string): Outcome {
    // Session ids are 32 random bytes: an unknown one is an expired login, not a guess, so it does
    // not count towards the rate limit (a browser with a stale cookie would lock its user out).
    const tokenHash = this.options.sessions.touch(sessionId);
    const holder = tokenHash === undefined ? undefined : this.options.credentials.byHash(tokenHash);
    if (!holder) {
      if (tokenHash !== undefined) this.options.sessions.close(sessionId);
      this.options.onAuthFailure?.('session');
      return { refuse: (reply) => sendError(reply.header('set-cookie', this.cookie()), 'UNAUTHORIZED', 'the session has expired or was ended; log in again') };
    }
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.headers[CSRF_HEADER] !== '1') {
      return { refuse: (reply) => sendError(reply, 'FORBIDDEN', 'a write made with the session cookie must carry the header "X-Roomwatch-Request: 1"') };
    }
    return { identity: { ...holder, via: 'session' } };
  }

  #failed(reason: AuthFailure, message: string): Refusal {
    this.options.onAuthFailure?.(reason);
    return { refuse: (reply) => sendError(reply, 'UNAUTHORIZED', message) };
  }
}

/**
 * One hook guards every route by the access it declares (api/access.ts; none declared means
 * viewer). It runs on onRequest, before the body is parsed or validated: an unauthenticated caller
 * learns nothing about the schema, and a huge body is not read.
 */
export function installAuth(app: FastifyInstance, auth: Authenticator): void {
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access ?? 'viewer';
    if (access === 'public') return;
    const outcome = auth.authenticate(request);
    if ('refuse' in outcome) return outcome.refuse(reply);
    const { identity } = outcome;
    request.identity = identity;
    if (!roleAllows(identity.role, access)) {
      return sendError(reply, 'FORBIDDEN', `this needs the role ${access}; ${identity.name} has the role ${identity.role}`);
    }
  });
}

/**
 * The value of one cookie in a Cookie header. Read by hand: the API reads this one cookie only, and a
 * cookie plugin would be a dependency for four lines.
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
