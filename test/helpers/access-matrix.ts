import type { FastifyInstance } from 'fastify';
import type { Access, Role } from '../../api/access.js';
import type { ApiDeps } from '../../api/app.js';
import { hashToken, type ApiUser } from '../../api/credentials.js';
import type { LoadedConfig } from '../../api/redact.js';
import { CONSOLE_PAGES, consoleDirs } from '../../api/routes/console.js';
import { SEVERITIES } from '../../alerting/core/rule.js';
import { DaemonMetrics } from '../../common/metrics/daemon-metrics.js';

/**
 * Every API route and the least role it needs, one line each: the access matrix of api/auth.test.ts
 * checks each line for every caller (none, viewer, operator, admin), and that the table lists every
 * route the app has. A new route is one more line here (and, if it needs them, its deps in accessDeps).
 * `:id`-like parameters are filled with SAMPLE_ID; the body is what the route needs to get past its
 * schema (a refusal must come from the access check, not from validation, which runs after it anyway).
 */
export type AccessRow = readonly [method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', route: string, access: Access, body?: object];

export function accessTable(): AccessRow[] {
  return [
    // No token in the body: its 400 shows the login is reached without credentials (a wrong token would be 401).
    ['POST', '/api/session', 'public', {}],
    ['GET', '/api/session', 'viewer'],
    ['DELETE', '/api/session', 'viewer'],
    ['GET', '/api/health', 'viewer'],
    ['GET', '/api/alerts', 'viewer'],
    ['GET', '/api/alerts/:id', 'viewer'],
    ['POST', '/api/alerts/:id/ack', 'operator', { note: 'checked' }],
    ['GET', '/api/incidents', 'viewer'],
    ['GET', '/api/incidents/:id', 'viewer'],
    ['POST', '/api/incidents/:id/ack', 'operator', { note: 'checked' }],
    ['GET', '/api/silences', 'viewer'],
    ['POST', '/api/silences', 'operator', { matchers: { device: 'ups-1' }, ends: '2099-01-01T00:00:00Z', author: '张工', reason: 'battery swap' }],
    ['DELETE', '/api/silences/:id', 'operator'],
    ['GET', '/api/reports/faults', 'viewer'],
    ['GET', '/api/sites', 'viewer'],
    ['GET', '/api/devices', 'viewer'],
    ['GET', '/api/devices/:id', 'viewer'],
    ['GET', '/api/devices/:id/trend', 'viewer'],
    ['GET', '/api/alerts/:id/readings', 'viewer'],
    ['GET', '/api/alerts/:id/timeline', 'viewer'],
    ['GET', '/api/history', 'viewer'],
    ['GET', '/api/config', 'admin'],
    ['POST', '/api/reload', 'admin'],
    // Server-sent events: see STREAMS.
    ['GET', '/api/stream', 'viewer'],
    ['GET', '/metrics', 'viewer'],
    ['GET', '/healthz', 'public'],
    ['GET', '/readyz', 'public'],
    ['GET', '/openapi.json', 'public'],
    // The console: pages and assets hold no data (it comes from /api with the session), so anyone may load them.
    ...CONSOLE_PAGES.map((page): AccessRow => ['GET', page, 'public']),
    ['GET', '/assets/:file', 'public'],
  ];
}

export const SAMPLE_ID = '0123456789';
export const urlOf = (route: string) => route.replace(/:[a-z_]+/gi, SAMPLE_ID);

/** One token per role, and api.users listing them. */
export const ROLE_TOKENS: Readonly<Record<Role, string>> = {
  viewer: 'viewer-token-Jm2Qx8Lr0bNf5Ws1Ea7Tc4Kd9Hy3Pv6Ug',
  operator: 'operator-token-Xz4Bn7Qm1Lk8Rw2Fs5Dj0Hc3Vy6Tg9Pa',
  admin: 'admin-token-Ws8Ke1Qz5Jm9Lb2Xn6Dr0Ty3Hf7Pc4Gv',
};
export const ROLE_USERS: ApiUser[] = (Object.keys(ROLE_TOKENS) as Role[]).map((role) => ({ name: `${role}-1`, role, tokenHash: hashToken(ROLE_TOKENS[role]) }));

/**
 * Routes whose answer never ends (server-sent events): the matrix takes their status with the
 * headers and then goes away, as a browser closing the page would; waiting for the end would hang.
 */
export const STREAMS: ReadonlySet<string> = new Set(['GET /api/stream']);

// What GET /api/config shows of a daemon with nothing configured.
const EMPTY_CONFIG = { file: '/etc/roomwatch.yaml', sites: [], templates: new Map(), devices: [] } satisfies LoadedConfig & Record<string, unknown>;

/** Deps for every route in the table, answering plainly (nothing active, nothing found). */
export function accessDeps(overrides: Partial<ApiDeps> = {}): ApiDeps {
  return {
    silences: { list: () => [], add: (input) => ({ ...input, id: 's1' }), expire: () => false },
    alerts: { active: () => [], recent: () => [], alert: () => undefined, acknowledge: (id) => ({ error: `no active alert ${id}` }) },
    incidents: { active: () => [], recent: () => [], get: () => undefined, acknowledge: (id) => ({ error: `no incident ${id}` }) },
    reports: { faults: () => Promise.reject(new Error('not asked in the access matrix')) },
    health: () => ({ status: 'ok' }),
    inventory: { sites: () => [], devices: () => [], place: () => undefined, latest: () => undefined },
    storage: { query: () => Promise.resolve([]), events: () => Promise.resolve([]), rawRetentionMs: 7 * 86_400_000, aggregates: new Map(), now: Date.now },
    config: () => EMPTY_CONFIG,
    reload: { check: () => ({ ok: true }), trigger: () => undefined },
    ready: () => ({ ready: true, checks: [{ name: 'configuration', ok: true }] }),
    metrics: new DaemonMetrics({ severities: SEVERITIES, states: ['firing', 'acknowledged'] }),
    console: consoleDirs(),
    users: ROLE_USERS,
    ...overrides,
  };
}

/** "METHOD /route" for every route the app serves (HEAD, which fastify adds to each GET, left out). */
export async function servedRoutes(app: FastifyInstance): Promise<string[]> {
  await app.ready();
  const served: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)[└├]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD')) served.push(`${method} ${stack.join('')}`);
  }
  return served.sort();
}
