import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { explainInvalid } from './explain-invalid.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route's `:id` names, so a malformed one is explained in its words; "an alert id" when not given. */
    idName?: string;
    /** What such an id looks like, said when one is malformed; "is 10 hexadecimal digits" when not given. */
    idShape?: string;
  }
}

/**
 * Every error the API answers with, by code. A client branches on `code`; `message` is for people.
 * 4xx messages explain what to change; a 5xx is logged with its request id and the client only
 * learns that id, never the cause (it may name files, hosts or internals).
 */
export const API_ERRORS = {
  BAD_REQUEST: 400,
  BAD_INTERVAL: 400,
  /** The configuration a reload would load has problems; the running one carries on. */
  CONFIG_INVALID: 400,
  /** No credentials, or ones that match no token or session. */
  UNAUTHORIZED: 401,
  /** Authenticated, but the role is too small for the route (api/access.ts). */
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_ACKNOWLEDGED: 409,
  ALREADY_RESOLVED: 409,
  /** The reloaded configuration changes what only a restart may (listen addresses, spool, journal). */
  RESTART_REQUIRED: 409,
  /** Too many failed authentications from this address; retry after the Retry-After header's seconds. */
  TOO_MANY_ATTEMPTS: 429,
  INTERNAL: 500,
  /** InfluxDB (the alert history) did not answer: worth retrying, nothing for the client to change. */
  STORAGE_UNAVAILABLE: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

/** The body of every error answer. */
export const ErrorBody = Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: false });

/** Response schemas shared by every route: any 4xx or 5xx is an ErrorBody. */
export const ERROR_RESPONSES = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

/** What the not-found answer lists: the API's entry points (/openapi.json has every route and method). */
const ROUTE_LIST = [
  '/api/sites', '/api/devices', '/api/devices/:id', '/api/devices/:id/trend', '/api/alerts', '/api/alerts/:id', '/api/alerts/:id/readings',
  '/api/alerts/:id/timeline', '/api/incidents', '/api/silences', '/api/history', '/api/reports/faults', '/api/health', '/api/config', '/api/reload',
].join(', ');

/** Answers with a catalogued error; the status comes from the catalogue, so code and status never disagree. */
export function sendError(reply: FastifyReply, code: Exclude<ApiErrorCode, 'INTERNAL'>, message: string): FastifyReply {
  return reply.code(API_ERRORS[code]).send({ code, message });
}

/**
 * Turns whatever fastify or a handler throws into an ErrorBody. Schema failures become
 * BAD_REQUEST in a caller's words; fastify's own 4xx (malformed JSON, body too large, wrong
 * content type) keep fastify's specific code and message; anything else is INTERNAL.
 */
export function installErrorHandling(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.validation) {
      const where = error.validationContext ?? 'body';
      const messages = new Set(error.validation.filter((e) => e.keyword !== 'propertyNames').map((e) => explainInvalid(where, e, request.routeOptions.config.idName, request.routeOptions.config.idShape)));
      return reply.code(API_ERRORS.BAD_REQUEST).send({ code: 'BAD_REQUEST', message: [...messages].join('; ') });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ code: error.code ?? 'BAD_REQUEST', message: error.message });
    log.error({ reqId: request.id, method: request.method, url: request.url, err: { message: error.message, stack: error.stack } }, 'API request failed');
    return reply.code(API_ERRORS.INTERNAL).send({ code: 'INTERNAL', message: `internal error; the roomwatch log has the details under request id ${request.id}` });
  });
  app.setNotFoundHandler(async (request, reply) => sendError(reply, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}; the API serves ${ROUTE_LIST}; /openapi.json describes them`));
}
