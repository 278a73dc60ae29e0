import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Secret } from '../common/config/secret.js';
import { ROLES, type Access, type Role } from './access.js';
import { buildApp, type ApiDeps } from './app.js';
import type { AuthFailure } from './auth.js';
import { FAILURE_WINDOW_MS, FailureLimiter, MAX_FAILURES } from './failures.js';
import { SESSION_IDLE_MS, SessionStore } from './sessions.js';
import { accessDeps, accessTable, ROLE_TOKENS, ROLE_USERS, servedRoutes, STREAMS, urlOf } from '../test/helpers/access-matrix.js';

const LEGACY = 'legacy-admin-token-4e1b';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const allows = (held: Role, needed: Access) => needed === 'public' || ROLES.indexOf(held) >= ROLES.indexOf(needed);

/** The API with a clock the test moves, the failure reasons it reported and its audit lines. */
function harness(overrides: Partial<ApiDeps> = {}) {
  const clock = { now: Date.parse('2026-12-02T08:00:00Z') };
  const now = () => clock.now;
  const failures: AuthFailure[] = [];
  const lines: string[] = [];
  const auth = { sessions: new SessionStore(now), failures: new FailureLimiter(now) };
  const deps = accessDeps({
    token: new Secret(LEGACY),
    now,
    auth,
    onAuthFailure: (reason) => failures.push(reason),
    auditLog: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }),
    ...overrides,
  });
  const app = buildApp(deps);
  const audit = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { app, deps, clock, failures, lines, audit };
}

type App = ReturnType<typeof harness>['app'];

async function login(app: App, token: string, remoteAddress = '127.0.0.1'): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/session', payload: { token }, remoteAddress });
  expect(response.statusCode).toBe(204);
  const cookie = /^roomwatch_session=([^;]+);/.exec(String(response.headers['set-cookie']));
  return `roomwatch_session=${cookie![1]}`;
}

describe('the access matrix', () => {
  it('lists every route the API serves', async () => {
    const listed = accessTable().map(([method, route]) => `${method} ${route}`).sort();
    expect(await servedRoutes(harness().app)).toEqual(listed);
  });

  for (const via of ['bearer', 'session'] as const) {
    it(`answers 401 without credentials, 403 below the route's role and lets the role through (${via})`, async () => {
      const { app } = harness();
      const credentials: Record<Role, Record<string, string>> = { viewer: {}, operator: {}, admin: {} };
      for (const role of ROLES) {
        credentials[role] = via === 'bearer' ? bearer(ROLE_TOKENS[role]) : { cookie: await login(app, ROLE_TOKENS[role]), 'x-roomwatch-request': '1' };
      }
      const seen: string[] = [];
      for (const [method, route, access, body] of accessTable()) {
        const request = { method, url: urlOf(route), ...(body ? { payload: body } : {}) };
        const ask = async (headers: Record<string, string>) => {
          if (!STREAMS.has(`${method} ${route}`)) return app.inject({ ...request, headers });
          // A stream is answered when its headers are: read the status, then close it as a leaving client does.
          const response = await app.inject({ ...request, headers, payloadAsStream: true });
          response.raw.res.destroy();
          return response;
        };
        const anonymous = (await ask({})).statusCode;
        seen.push(`${method} ${route} none ${access === 'public' ? anonymous !== 401 && anonymous !== 403 : anonymous}`);
        for (const role of ROLES) {
          const status = (await ask(credentials[role])).statusCode;
          seen.push(`${method} ${route} ${role} ${allows(role, access) ? status !== 401 && status !== 403 : status}`);
        }
        // Logging out ends the session the next rows would use: log that role in again.
        if (via === 'session' && method === 'DELETE' && route === '/api/session') {
          for (const role of ROLES) credentials[role] = { cookie: await login(app, ROLE_TOKENS[role]), 'x-roomwatch-request': '1' };
        }
      }
      const expected = accessTable().flatMap(([method, route, access]) => [
        `${method} ${route} none ${access === 'public' ? true : 401}`,
        ...ROLES.map((role) => `${method} ${route} ${role} ${allows(role, access) ? true : 403}`),
      ]);
      expect(seen).toEqual(expected);
    });
  }

  it('treats api.token as an admin named "api.token"', async () => {
    const { app } = harness();
    const whoami = await app.inject({ method: 'GET', url: '/api/session', headers: bearer(LEGACY) });
    expect(whoami.json()).toEqual({ name: 'api.token', role: 'admin' });
    const ack = await app.inject({ method: 'DELETE', url: '/api/silences/s1', headers: bearer(LEGACY) });
    expect(ack.statusCode).toBe(404);
  });

  it('says which role a route needs and which the caller has', async () => {
    const { app } = harness();
    const refused = await app.inject({ method: 'DELETE', url: '/api/silences/s1', headers: bearer(ROLE_TOKENS.viewer) });
    expect([refused.statusCode, refused.json()]).toEqual([403, { code: 'FORBIDDEN', message: 'this needs the role operator; viewer-1 has the role viewer' }]);
  });

  it('refuses other schemes and wrong tokens with messages that say what to send', async () => {
    const { app, failures } = harness();
    const answer = async (headers: Record<string, string>) => (await app.inject({ method: 'GET', url: '/api/alerts', headers })).json<{ message: string }>().message;
    expect(await answer({})).toBe('credentials needed: send "Authorization: Bearer <token>", or log in to the console (POST /api/session)');
    expect(await answer({ authorization: `Basic ${ROLE_TOKENS.admin}` })).toBe('the Authorization header must be "Bearer <token>"');
    expect(await answer(bearer(`${ROLE_TOKENS.admin}x`))).toBe('wrong token: it matches no api.users entry and not api.token');
    expect(await answer(bearer(LEGACY.slice(0, -1)))).toBe('wrong token: it matches no api.users entry and not api.token');
    expect(await answer({ cookie: 'roomwatch_session=made-up' })).toBe('the session has expired or was ended; log in again');
    expect(failures).toEqual(['missing', 'malformed', 'wrong_token', 'wrong_token', 'session']);
  });
});

describe('console sessions', () => {
  it('log in with a token, say whose they are, and end on logout', async () => {
    const { app } = harness();
    const wrong = await app.inject({ method: 'POST', url: '/api/session', payload: { token: 'guess' } });
    expect([wrong.statusCode, wrong.headers['set-cookie']]).toEqual([401, undefined]);
    const response = await app.inject({ method: 'POST', url: '/api/session', payload: { token: ROLE_TOKENS.operator } });
    expect(response.statusCode).toBe(204);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^roomwatch_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0]!;
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).json()).toEqual({ name: 'operator-1', role: 'operator' });
    const out = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-roomwatch-request': '1' } });
    expect([out.statusCode, out.headers['set-cookie']]).toEqual([204, 'roomwatch_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0']);
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('need the X-Roomwatch-Request header on writes made with the cookie, not with a bearer token', async () => {
    const { app } = harness();
    const cookie = await login(app, ROLE_TOKENS.operator);
    const write = (headers: Record<string, string>) => app.inject({ method: 'DELETE', url: '/api/silences/s1', headers });
    const forged = await write({ cookie });
    expect([forged.statusCode, forged.json()]).toEqual([403, { code: 'FORBIDDEN', message: 'a write made with the session cookie must carry the header "X-Roomwatch-Request: 1"' }]);
    expect((await write({ cookie, 'x-roomwatch-request': 'yes' })).statusCode).toBe(403);
    expect((await write({ cookie, 'x-roomwatch-request': '1' })).statusCode).toBe(404);
    expect((await write(bearer(ROLE_TOKENS.operator))).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/silences', headers: { cookie } })).statusCode).toBe(200);
  });

  it('expire after 12 hours without a request, and each request keeps them alive', async () => {
    const { app, clock } = harness();
    const cookie = await login(app, ROLE_TOKENS.viewer);
    const status = async () => (await app.inject({ method: 'GET', url: '/api/alerts', headers: { cookie } })).statusCode;
    clock.now += SESSION_IDLE_MS - 1;
    expect(await status()).toBe(200);
    clock.now += SESSION_IDLE_MS - 1;
    expect(await status()).toBe(200);
    clock.now += SESSION_IDLE_MS;
    const expired = await app.inject({ method: 'GET', url: '/api/alerts', headers: { cookie } });
    expect([expired.statusCode, expired.headers['set-cookie']]).toEqual([401, 'roomwatch_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0']);
  });

  it('follow the configuration the API is rebuilt with: a changed role applies, a removed user is logged out', async () => {
    const first = harness();
    const cookie = await login(first.app, ROLE_TOKENS.operator);
    const rebuilt = (users: typeof ROLE_USERS) => buildApp({ ...first.deps, users });
    const demoted = rebuilt(ROLE_USERS.map((u) => (u.role === 'operator' ? { ...u, role: 'viewer' as const } : u)));
    expect((await demoted.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).json()).toEqual({ name: 'operator-1', role: 'viewer' });
    const removed = rebuilt(ROLE_USERS.filter((u) => u.role !== 'operator'));
    expect((await removed.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
    // Ended for good: putting the user back does not revive the session.
    expect((await rebuilt(ROLE_USERS).inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('failed authentications from one address', () => {
  it(`are refused 429 with Retry-After after ${MAX_FAILURES} within the window, then allowed again`, async () => {
    const { app, clock, failures } = harness();
    const from = (remoteAddress: string, headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/alerts', headers, remoteAddress });
    const goodSession = await login(app, ROLE_TOKENS.viewer, '10.0.0.9');
    for (let i = 0; i < MAX_FAILURES; i++) {
      clock.now += 1000;
      expect((await from('10.0.0.9', bearer(`wrong-${i}`))).statusCode).toBe(401);
    }
    const limited = await from('10.0.0.9', bearer(ROLE_TOKENS.viewer));
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: `too many failed authentications from 10.0.0.9; try again in ${FAILURE_WINDOW_MS / 1000 - 9} s` });
    expect(limited.headers['retry-after']).toBe(String(FAILURE_WINDOW_MS / 1000 - 9));
    const loginLimited = await app.inject({ method: 'POST', url: '/api/session', payload: { token: ROLE_TOKENS.viewer }, remoteAddress: '10.0.0.9' });
    expect(loginLimited.statusCode).toBe(429);
    // A session already open cannot be guessed, so it keeps working; other addresses are not affected.
    expect((await from('10.0.0.9', { cookie: goodSession })).statusCode).toBe(200);
    expect((await from('10.0.0.10', bearer(ROLE_TOKENS.viewer))).statusCode).toBe(200);
    expect(failures.filter((f) => f === 'rate_limited')).toHaveLength(2);
    // The first failure leaves the window: one more attempt is allowed, and a wrong one closes it again.
    clock.now += FAILURE_WINDOW_MS - MAX_FAILURES * 1000 + 1000;
    expect((await from('10.0.0.9', bearer('wrong-again'))).statusCode).toBe(401);
    expect((await from('10.0.0.9', bearer(ROLE_TOKENS.viewer))).statusCode).toBe(429);
    clock.now += FAILURE_WINDOW_MS;
    expect((await from('10.0.0.9', bearer(ROLE_TOKENS.viewer))).statusCode).toBe(200);
  });

  it('do not include requests without credentials or with an expired session', async () => {
    const { app } = harness();
    for (let i = 0; i < MAX_FAILURES * 2; i++) {
      expect((await app.inject({ method: 'GET', url: '/api/alerts' })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/alerts', headers: { cookie: `roomwatch_session=stale-${i}` } })).statusCode).toBe(401);
    }
    expect((await app.inject({ method: 'GET', url: '/api/alerts', headers: bearer(ROLE_TOKENS.viewer) })).statusCode).toBe(200);
  });
});

describe('the audit log', () => {
  it('has one line per write, with who, how, from where, the route and outcome, and none for reads', async () => {
    const { app, audit } = harness();
    const cookie = await login(app, ROLE_TOKENS.operator, '10.1.2.3');
    await app.inject({ method: 'GET', url: '/api/silences', headers: { cookie } });
    await app.inject({
      method: 'POST', url: '/api/silences', headers: { cookie, 'x-roomwatch-request': '1' }, remoteAddress: '10.1.2.3',
      payload: { matchers: { device: 'ups-1' }, ends: '2026-12-02T10:00:00Z', author: '张工', reason: '更换电池' },
    });
    await app.inject({ method: 'POST', url: '/api/alerts/0123456789/ack', headers: bearer(ROLE_TOKENS.admin), payload: { by: '李工', note: '已到现场' } });
    await app.inject({ method: 'DELETE', url: '/api/silences/s9', headers: bearer(ROLE_TOKENS.viewer) });
    await app.inject({ method: 'DELETE', url: '/api/silences/s9' });
    const fields = ['who', 'role', 'via', 'ip', 'method', 'route', 'params', 'status', 'what', 'component'] as const;
    const pick = (line: Record<string, unknown>) => Object.fromEntries(fields.filter((f) => f in line).map((f) => [f, line[f]]));
    expect(audit().map(pick)).toEqual([
      { who: 'operator-1', role: 'operator', via: 'session', ip: '10.1.2.3', method: 'POST', route: '/api/session', params: {}, status: 204, what: 'login' },
      {
        who: 'operator-1', role: 'operator', via: 'session', ip: '10.1.2.3', method: 'POST', route: '/api/silences', params: {}, status: 201,
        what: 'silence {"device":"ups-1"} until 2026-12-02T10:00:00Z, reason 4 chars',
      },
      { who: 'admin-1', role: 'admin', via: 'bearer', ip: '127.0.0.1', method: 'POST', route: '/api/alerts/:id/ack', params: { id: '0123456789' }, status: 404, what: 'acknowledge alert as "李工", note 4 chars' },
      { who: 'viewer-1', role: 'viewer', via: 'bearer', ip: '127.0.0.1', method: 'DELETE', route: '/api/silences/:id', params: { id: 's9' }, status: 403, what: '' },
      { who: null, role: null, via: null, ip: '127.0.0.1', method: 'DELETE', route: '/api/silences/:id', params: { id: 's9' }, status: 401, what: '' },
    ]);
    expect(audit().every((line) => line.msg === 'audit')).toBe(true);
  });

  it('never holds a token or a session id', async () => {
    const { app, lines } = harness();
    await app.inject({ method: 'POST', url: '/api/session', payload: { token: ROLE_TOKENS.admin } });
    await app.inject({ method: 'POST', url: '/api/session', payload: { token: 'mistyped-token-Qw3' } });
    const response = await app.inject({ method: 'POST', url: '/api/session', payload: { token: ROLE_TOKENS.operator } });
    const sessionId = /^roomwatch_session=([^;]+)/.exec(String(response.headers['set-cookie']))![1]!;
    await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: `roomwatch_session=${sessionId}`, 'x-roomwatch-request': '1' } });
    await app.inject({ method: 'DELETE', url: '/api/silences/s1', headers: bearer(ROLE_TOKENS.admin) });
    await app.inject({ method: 'DELETE', url: '/api/silences/s1', headers: bearer(LEGACY) });
    await app.inject({ method: 'DELETE', url: '/api/silences/s1', headers: bearer('mistyped-token-Qw4') });
    expect(lines).toHaveLength(7);
    const log = lines.join('\n');
    for (const secret of [ROLE_TOKENS.admin, ROLE_TOKENS.operator, LEGACY, 'mistyped-token-Qw3', 'mistyped-token-Qw4', sessionId]) expect(log).not.toContain(secret);
  });
});

describe('acknowledgements', () => {
  it('record the caller when "by" is not given, and "by" as given otherwise', async () => {
    const calls: string[] = [];
    const { app } = harness({ alerts: { ...accessDeps().alerts, acknowledge: (id, by) => (calls.push(by), { error: `no active alert ${id}` }) } });
    await app.inject({ method: 'POST', url: '/api/alerts/0123456789/ack', headers: bearer(ROLE_TOKENS.operator), payload: {} });
    await app.inject({ method: 'POST', url: '/api/alerts/0123456789/ack', headers: bearer(ROLE_TOKENS.operator), payload: { by: '值班员 王' } });
    expect(calls).toEqual(['operator-1', '值班员 王']);
  });
});
