import { describe, expect, it } from 'vitest';
import type { Silence } from '../alerting/core/mute.js';
import { Secret } from '../common/config/secret.js';
import { buildApp } from './app.js';
import { MAX_MATCHERS, MAX_SILENCE_DAYS } from './limits.js';

const TOKEN = 'api-token-7f3a';
const NOW = Date.parse('2026-11-22T00:00:00Z');
const DAY = 86_400_000;

function api() {
  const added: Silence[] = [];
  const app = buildApp({
    silences: { list: () => added, add: (input) => { const s = { ...input, id: `s${added.length}` }; added.push(s); return s; }, expire: () => true },
    alerts: { active: () => [], recent: () => [], alert: () => undefined, acknowledge: () => ({ error: 'no active alert 0123456789' }) },
    health: () => ({ status: 'ok' }),
    token: new Secret(TOKEN),
    now: () => NOW,
  });
  return { app, added };
}

const silence = (extra: Record<string, unknown> = {}) => ({ matchers: { device: 'ups-3' }, ends: new Date(NOW + 2 * 3_600_000).toISOString(), author: '张工', reason: '更换电池', ...extra });
const post = (app: ReturnType<typeof api>['app'], body: unknown, authorization?: string) =>
  app.inject({ method: 'POST', url: '/api/silences', payload: body as object, headers: authorization === undefined ? {} : { authorization } });

describe('API authentication', () => {
  it('accepts the token only as "Authorization: Bearer <token>"', async () => {
    const { app, added } = api();
    expect((await post(app, silence(), TOKEN)).statusCode).toBe(401);
    expect((await post(app, silence(), `Basic ${TOKEN}`)).statusCode).toBe(401);
    expect((await post(app, silence(), `Bearer ${TOKEN}x`)).statusCode).toBe(401);
    expect(added).toHaveLength(0);
    const ok = await post(app, silence(), `Bearer ${TOKEN}`);
    expect(ok.statusCode).toBe(201);
    expect(added).toHaveLength(1);
  });

  it('answers an unauthenticated request with a bad body 401, without schema details', async () => {
    const { app } = api();
    for (const [method, url, payload] of [
      ['POST', '/api/silences', { matchers: 'all', colour: 'red' }],
      ['POST', '/api/alerts/not-an-id/ack', { by: 7 }],
      ['DELETE', '/api/silences/x', undefined],
    ] as const) {
      const response = await app.inject({ method, url, payload, headers: { authorization: 'Bearer wrong' } });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ code: 'UNAUTHORIZED', message: 'wrong token: it matches no api.users entry and not api.token' });
    }
    const badId = await app.inject({ method: 'POST', url: '/api/alerts/not-an-id/ack', payload: { by: 'a' }, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(badId.json()).toEqual({ code: 'BAD_REQUEST', message: 'params.id: an alert id is 10 hexadecimal digits, e.g. 3f9c2a1b07' });
    const malformed = await app.inject({ method: 'POST', url: '/api/silences', payload: '{"matchers":', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(401);
  });
});

describe('API silences are bounded', () => {
  const auth = `Bearer ${TOKEN}`;

  it(`refuses more than ${MAX_MATCHERS} matchers and overlong matcher keys or values`, async () => {
    const { app, added } = api();
    const many = Object.fromEntries(Array.from({ length: MAX_MATCHERS + 1 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await post(app, silence({ matchers: many }), auth);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toEqual({ code: 'BAD_REQUEST', message: `body.matchers: at most ${MAX_MATCHERS} matchers` });
    const message = async (matchers: object) => {
      const response = await post(app, silence({ matchers }), auth);
      expect(response.statusCode).toBe(400);
      return response.json<{ message: string }>().message;
    };
    expect(await message({ ['k'.repeat(65)]: 'v' })).toBe(`body.matchers: matcher name "${'k'.repeat(64)}" is not allowed: snake_case labels (e.g. device, rule, phase) of at most 64 characters`);
    expect(await message({ Device: 'ups-3' })).toBe('body.matchers: matcher name "Device" is not allowed: snake_case labels (e.g. device, rule, phase) of at most 64 characters');
    expect(await message({ device: 'v'.repeat(257) })).toBe('body.matchers.device: at most 256 characters');
    expect(await message({})).toBe('body.matchers: at least one matcher, e.g. { "device": "ups-3" }');
    const twenty = Object.fromEntries(Array.from({ length: MAX_MATCHERS }, (_, i) => [`k${i}`, 'v'.repeat(256)]));
    expect((await post(app, silence({ matchers: twenty }), auth)).statusCode).toBe(201);
    expect(added).toHaveLength(1);
  });

  it(`refuses a silence ending in the past, before it starts, or more than ${MAX_SILENCE_DAYS} days away`, async () => {
    const { app, added } = api();
    const iso = (ms: number) => new Date(ms).toISOString();
    const message = async (body: object) => {
      const response = await post(app, body, auth);
      expect(response.statusCode).toBe(400);
      return response.json<{ message: string }>().message;
    };
    expect(await message(silence({ ends: '9999-12-31T23:59:59Z' }))).toBe(
      `"ends" is more than ${MAX_SILENCE_DAYS} days away; a silence may last at most ${MAX_SILENCE_DAYS} days (use maintenance_windows in the configuration for recurring quiet times)`,
    );
    expect(await message(silence({ starts: iso(NOW - 2 * DAY), ends: iso(NOW - DAY) }))).toBe('"ends" is in the past: the silence would never apply');
    expect(await message(silence({ starts: iso(NOW + 2 * DAY), ends: iso(NOW + DAY) }))).toBe('"ends" must be after "starts"');
    expect((await post(app, silence({ ends: iso(NOW + MAX_SILENCE_DAYS * DAY) }), auth)).statusCode).toBe(201);
    expect(added).toHaveLength(1);
  });
});
