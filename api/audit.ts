import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import './access.js';

type Describe = (body: Record<string, unknown>) => string;

const length = (value: unknown) => (typeof value === 'string' ? value.length : 0);

/**
 * What a write did, in a few words, per route. Each says only what is safe to keep: matchers and
 * times, who an acknowledgement names, the length of free text (it may hold anything), never a
 * token. A route not listed is described by the names of its body's keys alone.
 */
const DESCRIBE: Record<string, Describe> = {
  'POST /api/session': () => 'login',
  'DELETE /api/session': () => 'logout',
  'POST /api/silences': (b) => `silence ${JSON.stringify(b.matchers)} until ${String(b.ends)}, reason ${length(b.reason)} chars`,
  'DELETE /api/silences/:id': () => 'expire silence',
  'POST /api/alerts/:id/ack': (b) => ackWhat('alert', b),
  'POST /api/incidents/:id/ack': (b) => ackWhat('incident', b),
};

function ackWhat(what: string, body: Record<string, unknown>): string {
  return `acknowledge ${what}${typeof body.by === 'string' ? ` as ${JSON.stringify(body.by)}` : ''}, note ${length(body.note)} chars`;
}

function describe(request: FastifyRequest): string {
  // An unauthenticated write is refused before its body is read: there is nothing to describe.
  if (request.body === undefined) return '';
  const route = `${request.method} ${request.routeOptions.url ?? ''}`;
  const body = request.body !== null && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  const known = DESCRIBE[route];
  return known ? known(body) : `body keys: ${Object.keys(body).join(', ') || '(none)'}`;
}

/**
 * One log line for every write (anything but GET and HEAD) once it is answered, refused ones
 * included: who (as authenticated), how, from where, which route and with what outcome. Never the
 * token, the session id or any header: the route pattern and parameters, not the URL with its query.
 */
export function installAudit(app: FastifyInstance, log: Logger): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const identity = request.identity;
    log.info(
      {
        who: identity?.name ?? null,
        role: identity?.role ?? null,
        via: identity?.via ?? null,
        ip: request.ip,
        method: request.method,
        route: request.routeOptions.url ?? null,
        params: request.params ?? {},
        status: reply.statusCode,
        what: describe(request),
      },
      'audit',
    );
  });
}
