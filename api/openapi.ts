import swagger from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import './access.js';
import { ROLE_RANK, ROLES, type Access } from './access.js';
import { ERROR_RESPONSES } from './errors.js';

/** What /openapi.json answers: fixed at the top, the rest as @fastify/swagger builds it. */
const Open = { additionalProperties: true } as const;
const OpenApiDocument = Type.Object({ openapi: Type.String(), info: Type.Object({ title: Type.String(), version: Type.String() }, Open), paths: Type.Object({}, Open) }, Open);

function accessWords(access: Access): string {
  if (access === 'public') return 'Public: answers without credentials.';
  const roles = ROLES.filter((r) => ROLE_RANK[r] >= ROLE_RANK[access]).join(', ');
  return `Needs the ${access} role (${roles}): a bearer token or the console's session cookie.`;
}

/**
 * The OpenAPI 3.1 document of every route, built by @fastify/swagger from the routes' TypeBox
 * schemas (3.1, because its schemas are JSON Schema 2020-12 and TypeBox's `const` literals are
 * JSON Schema), served at GET /openapi.json (public: it describes, it holds no data). Each
 * operation says the role it needs (api/access.ts), as its security and in words.
 *
 * Must be installed before the routes are registered (swagger collects them as they are added):
 * buildApp registers the routes in a plugin after this one.
 */
export function installOpenApi(app: FastifyInstance, version: string): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'roomwatch API',
        version,
        description: 'Power and environment monitoring of computer rooms: devices, alerts, incidents, silences, history. Times are epoch milliseconds unless a field says otherwise; errors are { code, message }.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'a token of api.users (or api.token)' },
          session: { type: 'apiKey', in: 'cookie', name: 'roomwatch_session', description: 'the console session (POST /api/session); writes also need header X-Roomwatch-Request: 1' },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const access: Access = route.config?.access ?? 'viewer';
      const given = (schema ?? {}) as Record<string, unknown>;
      const description = [given.description, accessWords(access)].filter(Boolean).join('\n\n');
      const security: Array<Record<string, string[]>> = access === 'public' ? [] : [{ bearer: [] }, { session: [] }];
      return { schema: { ...given, description, security, 'x-roomwatch-access': access } as typeof schema, url };
    },
  });
}

/** GET /openapi.json; registered with the other routes, so it documents itself too. */
export function openApiRoute(app: FastifyInstance): void {
  app.get(
    '/openapi.json',
    { config: { access: 'public' }, schema: { summary: 'This document (OpenAPI 3.1)', response: { 200: OpenApiDocument, ...ERROR_RESPONSES } } },
    () => app.swagger(),
  );
}
