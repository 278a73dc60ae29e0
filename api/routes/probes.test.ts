import { describe, expect, it } from 'vitest';
import { Secret } from '../../common/config/secret.js';
import { DaemonMetrics } from '../../common/metrics/daemon-metrics.js';
import type { Readiness } from '../../common/metrics/readiness.js';
import { buildApp } from '../app.js';

const TOKEN = 'probes-token-51ac';

function api(readiness: Readiness) {
  const metrics = new DaemonMetrics({ severities: ['critical'], states: ['firing'] });
  return buildApp({
    silences: { list: () => [], add: () => { throw new Error('unused'); }, expire: () => false },
    alerts: { active: () => [], recent: () => [], alert: () => undefined, acknowledge: () => ({ error: 'unused' }) },
    health: () => ({ status: 'ok' }),
    token: new Secret(TOKEN),
    ready: () => readiness,
    metrics,
  });
}

const READY: Readiness = { ready: true, checks: [{ name: 'configuration', ok: true }, { name: 'storage', ok: true, reason: 'InfluxDB unreachable; spooling', text: { en: 'InfluxDB unreachable; spooling', 'zh-CN': 'InfluxDB 不可达' } }] };
const NOT_READY: Readiness = { ready: false, checks: [{ name: 'configuration', ok: true }, { name: 'outbox', ok: false, reason: '2 notification(s) pending' }] };

describe('probe and metrics routes', () => {
  it('GET /healthz answers alive without credentials', async () => {
    const reply = await api(NOT_READY).inject({ method: 'GET', url: '/healthz' });
    expect([reply.statusCode, reply.json()]).toEqual([200, { status: 'alive' }]);
  });

  it('GET /readyz answers the decision as given: 200 when ready, 503 with the failing check when not', async () => {
    const ready = await api(READY).inject({ method: 'GET', url: '/readyz' });
    expect([ready.statusCode, ready.json()]).toEqual([200, READY]);
    const notReady = await api(NOT_READY).inject({ method: 'GET', url: '/readyz' });
    expect([notReady.statusCode, notReady.json()]).toEqual([503, NOT_READY]);
  });

  it('declares /healthz and /readyz public and /metrics viewer (api/access.ts)', async () => {
    const app = api(READY);
    const declared = new Map<string, unknown>();
    app.addHook('onRequest', (request, _reply, done) => {
      declared.set(request.url, request.routeOptions.config.access);
      done();
    });
    for (const url of ['/healthz', '/readyz', '/metrics']) await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(Object.fromEntries(declared)).toEqual({ '/healthz': 'public', '/readyz': 'public', '/metrics': 'viewer' });
  });

  it('GET /metrics answers the Prometheus text exposition with its content type', async () => {
    const reply = await api(READY).inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(reply.body).toContain('# TYPE roomwatch_polls_total counter');
    expect(reply.body).toMatch(/^roomwatch_alerts\{state="firing",severity="critical"\} 0$/m);
  });
});
