import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Secret } from '../common/config/secret.js';
import { buildApp, type ApiDeps } from './app.js';
import { API_ERRORS } from './errors.js';

const TOKEN = 'api-token-7f3a';
const auth = { authorization: `Bearer ${TOKEN}` };

function app(overrides: Partial<ApiDeps> = {}) {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const built = buildApp({
    silences: { list: () => [], add: (input) => ({ ...input, id: 's1' }), expire: () => false },
    alerts: { active: () => [], recent: () => [], alert: () => undefined, acknowledge: (id) => ({ error: `alert ${id} is already acknowledged by 张工` }) },
    health: () => ({ status: 'ok' }),
    token: new Secret(TOKEN),
    log,
    ...overrides,
  });
  return { app: built, logged: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('API error catalogue', () => {
  it('answers an unknown route 404 NOT_FOUND in the catalogue shape', async () => {
    const { app: api } = app();
    const response = await api.inject({ method: 'GET', url: '/api/nope?x=1', headers: auth });
    expect(response.statusCode).toBe(404);
    const body = response.json<{ code: string; message: string }>();
    expect(Object.keys(body)).toEqual(['code', 'message']);
    expect(body.code).toBe('NOT_FOUND');
    expect(body.message).toMatch(/^no route GET \/api\/nope; the API serves \/api\/sites, \/api\/devices, .*\/api\/history.*\/api\/reload; \/openapi.json describes them$/);
    const wrongMethod = await api.inject({ method: 'PUT', url: '/api/alerts', headers: auth });
    expect(wrongMethod.statusCode).toBe(404);
    expect(wrongMethod.json<{ code: string }>().code).toBe('NOT_FOUND');
  });

  it('answers a failing handler 500 INTERNAL, hides the cause and logs it with the request id', async () => {
    const { app: api, logged } = app({ health: () => { throw new Error('ENOENT /var/lib/roomwatch/spool/secret-path'); } });
    const response = await api.inject({ method: 'GET', url: '/api/health', headers: auth });
    expect(response.statusCode).toBe(500);
    const body = response.json<{ code: string; message: string }>();
    expect(body.code).toBe('INTERNAL');
    expect(response.body).not.toContain('secret-path');
    const [entry] = logged();
    expect(entry).toMatchObject({ level: 50, reqId: expect.any(String) as string, method: 'GET', url: '/api/health', msg: 'API request failed' });
    expect((entry?.err as { message: string }).message).toBe('ENOENT /var/lib/roomwatch/spool/secret-path');
    expect(body.message).toBe(`internal error; the roomwatch log has the details under request id ${String(entry?.reqId)}`);
  });

  it('keeps serving after a 500', async () => {
    let fail = true;
    const { app: api } = app({ health: () => { if (fail) throw new Error('boom'); return { status: 'ok' }; } });
    expect((await api.inject({ method: 'GET', url: '/api/health', headers: auth })).statusCode).toBe(500);
    fail = false;
    expect((await api.inject({ method: 'GET', url: '/api/health', headers: auth })).json()).toEqual({ status: 'ok' });
  });

  it('refuses every request with 401 when neither api.users nor api.token is configured, whatever is sent', async () => {
    const { app: api } = app({ token: undefined });
    for (const [method, headers] of [['DELETE', {}], ['DELETE', auth], ['GET', {}], ['GET', auth]] as const) {
      const response = await api.inject({ method, url: method === 'GET' ? '/api/silences' : '/api/silences/s1', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json<{ code: string }>().code).toBe('UNAUTHORIZED');
    }
    const bare = await api.inject({ method: 'GET', url: '/api/silences' });
    expect(bare.json<{ message: string }>().message).toBe('the API has no users: add api.users (roomwatch token new) or api.token to the configuration');
  });

  it('answers 401 UNAUTHORIZED without credentials', async () => {
    const { app: api } = app();
    const response = await api.inject({ method: 'DELETE', url: '/api/silences/s1' });
    expect(response.statusCode).toBe(401);
    expect(response.json<{ code: string }>().code).toBe('UNAUTHORIZED');
  });

  it('answers 409 ALREADY_ACKNOWLEDGED and 404 NOT_FOUND from the routes with the catalogue status', async () => {
    const { app: api } = app();
    const ack = await api.inject({ method: 'POST', url: '/api/alerts/0123456789/ack', payload: { by: '李工' }, headers: auth });
    expect(ack.statusCode).toBe(API_ERRORS.ALREADY_ACKNOWLEDGED);
    expect(ack.json()).toEqual({ code: 'ALREADY_ACKNOWLEDGED', message: 'alert 0123456789 is already acknowledged by 张工' });
    const expire = await api.inject({ method: 'DELETE', url: '/api/silences/s9', headers: auth });
    expect(expire.statusCode).toBe(API_ERRORS.NOT_FOUND);
    expect(expire.json()).toEqual({ code: 'NOT_FOUND', message: 'no silence s9 made through the API' });
  });

  it("passes fastify's own 4xx through with its specific code", async () => {
    const { app: api } = app();
    const response = await api.inject({ method: 'POST', url: '/api/silences', payload: '{"matchers":', headers: { ...auth, 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ code: string }>().code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
  });
});
