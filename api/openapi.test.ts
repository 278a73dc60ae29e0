import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { testApi } from '../test/helpers/api-app.js';
import { loadTestConfig, writeApiTestConfig } from '../test/helpers/api-config.js';

const config = loadTestConfig(writeApiTestConfig());
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
  security?: Array<Record<string, string[]>>;
  'x-roomwatch-access'?: string;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas?: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

/** Every route the app registers, as fastify hands them to onRoute hooks, with the access it declares. */
async function documentedApp() {
  const app = testApi({ config });
  const routes: Array<{ method: string; url: string; access: string; hidden: boolean }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, access: route.config?.access ?? 'viewer', hidden: Boolean(route.schema?.hide) });
    }
  });
  const response = await app.inject('/openapi.json');
  expect(response.statusCode).toBe(200);
  return { routes, doc: response.json<Document>() };
}

/** Every $ref in a value, to check each points inside the document. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, found);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  }
  return found;
}

describe('GET /openapi.json', () => {
  it('documents every registered route with its parameters, responses and the role it needs', async () => {
    const { routes, doc } = await documentedApp();
    // fastify adds a HEAD route beside every GET itself; OpenAPI leaves HEAD implied.
    const visible = routes.filter((r) => !r.hidden && r.method !== 'HEAD');
    expect(visible.length).toBeGreaterThanOrEqual(20);
    for (const route of visible) {
      const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase() as (typeof METHODS)[number]];
      expect({ route: `${route.method} ${route.url}`, documented: operation !== undefined }).toEqual({ route: `${route.method} ${route.url}`, documented: true });
      const success = Object.keys(operation!.responses).filter((status) => /^2\d\d$/.test(status));
      expect({ route: route.url, success: success.length > 0, summary: typeof operation!.summary }).toEqual({ route: route.url, success: true, summary: 'string' });
      // JSON for most; /metrics answers text/plain and /api/stream text/event-stream, each documented under its own type.
      // 204 (the session's login and logout) has no body, so OpenAPI gives it no content at all.
      for (const status of success) {
        const content = operation!.responses[status]!.content;
        if (status === '204') expect({ route: route.url, content }).toEqual({ route: route.url, content: undefined });
        else expect(Object.values(content ?? {})[0]?.schema).toBeDefined();
      }
      expect(operation!.responses['4XX'] ?? operation!.responses['400'] ?? operation!.responses['404']).toBeDefined();
      expect(operation!['x-roomwatch-access']).toBe(route.access);
      expect(operation!.security).toEqual(route.access === 'public' ? [] : [{ bearer: [] }, { session: [] }]);
      for (const name of [...route.url.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1])) {
        expect(operation!.parameters?.find((p) => p.in === 'path' && p.name === name)).toMatchObject({ required: true });
      }
    }
    // The routes of this part are there by name, with their query parameters.
    const get = (path: string) => doc.paths[path]?.get;
    expect(get('/api/devices/{id}/trend')!.parameters!.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['path:id', 'query:field', 'query:hours', 'query:measurement']);
    expect(get('/api/history')!.parameters!.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['category', 'device', 'from', 'limit', 'room', 'severity', 'site', 'to']);
    expect(get('/api/config')!['x-roomwatch-access']).toBe('admin');
    expect(doc.paths['/api/reload']!.post!.responses).toHaveProperty('202');
    expect(doc.paths['/api/reload']!.post!.responses).toHaveProperty('409');
    expect(get('/openapi.json')!['x-roomwatch-access']).toBe('public');
  });

  it('is an OpenAPI 3 document: version, info, paths, operations with responses, resolvable refs, valid schemas', async () => {
    const { doc } = await documentedApp();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
    // JSON Schema 2020-12 is the schema dialect of OpenAPI 3.1: every schema in the document must compile.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const schemas: unknown[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      for (const [method, operation] of Object.entries(item)) {
        expect(METHODS).toContain(method);
        const op: Operation = operation;
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(status).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
          expect(typeof response.description).toBe('string');
          for (const media of Object.values(response.content ?? {})) schemas.push(media.schema);
        }
        for (const parameter of op.parameters ?? []) {
          expect(['query', 'path', 'header', 'cookie']).toContain(parameter.in);
          expect(typeof parameter.name).toBe('string');
          schemas.push(parameter.schema);
        }
        for (const media of Object.values(op.requestBody?.content ?? {})) schemas.push(media.schema);
        for (const requirement of op.security ?? []) for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes).toHaveProperty(scheme);
      }
    }
    for (const schema of [...schemas, ...Object.values(doc.components.schemas ?? {})]) {
      expect(() => ajv.compile(schema as object)).not.toThrow();
    }
    for (const ref of refs(doc)) {
      expect(ref.startsWith('#/')).toBe(true);
      const target = ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect({ ref, resolves: target !== undefined }).toEqual({ ref, resolves: true });
    }
  });

  it('answers without credentials', async () => {
    const app = testApi({ config });
    expect((await app.inject('/openapi.json')).statusCode).toBe(200);
  });
});
