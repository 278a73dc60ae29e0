import { describe, expect, it } from 'vitest';
import type { Alert } from '../../alerting/alerts.js';
import type { Incident } from '../../alerting/incidents/incident.js';
import { Secret } from '../../common/config/secret.js';
import { buildApp, type ApiDeps } from '../app.js';
import type { IncidentsDeps } from './incidents.js';

// The incident and single-alert routes through app.inject, against an in-memory stand-in for the
// engine that keeps incidents and alerts the way the engine's lists do.
const TOKEN = 'api-token-7f3a';
const auth = { authorization: `Bearer ${TOKEN}` };
const NOW = Date.parse('2026-12-02T03:00:00Z');

function alert(id: string, device: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id, key: `${device}|rule`, rule: 'ups_on_battery', severity: 'critical', summary: { en: 'UPS on battery', 'zh-CN': 'UPS 电池供电' }, source: 'template',
    device, labels: {}, status: 'firing', flapping: false, value: 5, threshold: '= 5', measurement: 'ups', field: 'output_source', firingSince: NOW - 60_000,
    notes: [], tiers: [0], incidentId: '7c1e09ab42', ...overrides,
  };
}

function mainsFailure(overrides: Partial<Incident> = {}): Incident {
  return {
    id: '7c1e09ab42', type: 'mains_failure', scope: { level: 'room', site: 'bj1', room: 'a' }, severity: 'critical', category: 'power',
    summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'open', openedAt: NOW - 60_000, notes: [], tiers: [0],
    members: [
      { key: 'ups-1|rule', id: 'aaaaaaaaa1', role: 'opener', joinedAt: NOW - 60_000 },
      { key: 'crac-1|rule', id: 'ccccccccc1', role: 'member', joinedAt: NOW - 59_000, reattributed: true },
      { key: 'pdu-1|rule', id: 'ddddddddd1', role: 'member', joinedAt: NOW - 58_000 },
      { key: 'meter-1|rule', id: 'eeeeeeeee1', role: 'member', joinedAt: NOW - 57_000 },
    ],
    ...overrides,
  };
}

/** The daemon's lists as the engine keeps them; acknowledging an incident acknowledges its active members. */
function world() {
  const active: Alert[] = [
    alert('aaaaaaaaa1', 'ups-1'),
    alert('ccccccccc1', 'crac-1', { rule: 'crac_alarm', value: 1, threshold: '= 1', status: 'acknowledged', ack: { by: '李工', at: NOW - 30_000 } }),
    alert('ddddddddd1', 'pdu-1', { latchedAt: NOW - 10_000, value: 0 }),
    alert('0000000001', 'leak-1', { incidentId: undefined, rule: 'water_leak' }),
  ];
  const recent: Alert[] = [alert('eeeeeeeee1', 'meter-1', { status: 'resolved', resolvedAt: NOW - 5_000, resolution: { reason: 'cleared' } })];
  const incidents = new Map<string, Incident>([
    ['7c1e09ab42', mainsFailure()],
    ['9d00000001', mainsFailure({ id: '9d00000001', status: 'resolved', resolvedAt: NOW - 3_600_000, members: [] })],
  ]);
  const calls: unknown[][] = [];
  const incidentsDeps: IncidentsDeps = {
    active: () => [...incidents.values()].filter((i) => i.status !== 'resolved'),
    recent: () => [...incidents.values()].filter((i) => i.status === 'resolved'),
    get: (id) => incidents.get(id),
    acknowledge: (id, by, note) => {
      calls.push([id, by, note]);
      const incident = incidents.get(id);
      if (!incident) return { error: `no incident ${id}` };
      if (incident.status === 'resolved') return { error: `incident ${id} is resolved; nothing to acknowledge` };
      if (incident.ack) return { error: `incident ${id} is already acknowledged by ${incident.ack.by}` };
      incident.status = 'acknowledged';
      incident.ack = { by, at: NOW, ...(note ? { note } : {}) };
      for (const a of active) if (a.incidentId === id && a.status === 'firing') Object.assign(a, { status: 'acknowledged', ack: { by, at: NOW } });
      return incident;
    },
  };
  const deps: ApiDeps = {
    silences: { list: () => [], add: (input) => ({ ...input, id: 's1' }), expire: () => false },
    alerts: {
      active: () => active,
      recent: () => recent,
      alert: (id) => [...active, ...recent].find((a) => a.id === id),
      acknowledge: () => ({ error: 'not used here' }),
    },
    incidents: incidentsDeps,
    health: () => ({ status: 'ok', active_alerts: active.length }),
    token: new Secret(TOKEN),
    now: () => NOW,
  };
  return { app: buildApp(deps), deps, calls, incidents };
}

const get = (app: ReturnType<typeof world>['app'], url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });
const ack = (app: ReturnType<typeof world>['app'], id: string, payload: object, headers: Record<string, string> = auth) =>
  app.inject({ method: 'POST', url: `/api/incidents/${id}/ack`, payload, headers });

describe('GET /api/incidents', () => {
  it('lists active incidents and recent ones apart, to a caller with credentials only', async () => {
    expect((await get(world().app, '/api/incidents', {})).statusCode).toBe(401);
    const response = await get(world().app, '/api/incidents');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ active: Incident[]; recent: Incident[] }>();
    expect(body.active.map((i) => [i.id, i.status])).toEqual([['7c1e09ab42', 'open']]);
    expect(body.recent.map((i) => [i.id, i.status])).toEqual([['9d00000001', 'resolved']]);
  });

  it('shows one incident with its member alerts in member order, each in its own state', async () => {
    const response = await get(world().app, '/api/incidents/7c1e09ab42');
    expect(response.statusCode).toBe(200);
    const { incident, alerts } = response.json<{ incident: Incident; alerts: Alert[] }>();
    expect(incident).toEqual(mainsFailure());
    expect(alerts.map((a) => [a.id, a.device, a.status, a.latchedAt !== undefined, a.resolution?.reason ?? null])).toEqual([
      ['aaaaaaaaa1', 'ups-1', 'firing', false, null],
      ['ccccccccc1', 'crac-1', 'acknowledged', false, null],
      ['ddddddddd1', 'pdu-1', 'firing', true, null],
      ['eeeeeeeee1', 'meter-1', 'resolved', false, 'cleared'],
    ]);
  });

  it('leaves out of the shown alerts a member the daemon no longer holds; the incident still names it', async () => {
    const { app, incidents } = world();
    incidents.get('7c1e09ab42')!.members.push({ key: 'gone|rule', id: 'fffffffff1', role: 'member', joinedAt: NOW - 50_000 });
    const { incident, alerts } = (await get(app, '/api/incidents/7c1e09ab42')).json<{ incident: Incident; alerts: Alert[] }>();
    expect(incident.members.map((m) => m.id)).toContain('fffffffff1');
    expect(alerts.map((a) => a.id)).toEqual(['aaaaaaaaa1', 'ccccccccc1', 'ddddddddd1', 'eeeeeeeee1']);
  });

  it('answers an unknown incident 404 NOT_FOUND and a malformed id 400 in incident words', async () => {
    const { app } = world();
    const missing = await get(app, '/api/incidents/0123456789');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 'NOT_FOUND', message: 'no incident 0123456789 among the active and recent incidents (older ones are in InfluxDB, alert_events)' });
    const bad = await get(app, '/api/incidents/7C1E09AB4');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ code: 'BAD_REQUEST', message: 'params.id: an incident id is 10 hexadecimal digits, e.g. 3f9c2a1b07' });
  });
});

describe('POST /api/incidents/:id/ack', () => {
  it('acknowledges the incident and answers it with its alerts as they are now', async () => {
    const { app, calls } = world();
    const response = await ack(app, '7c1e09ab42', { by: '张工', note: '发电机已启动' });
    expect(response.statusCode).toBe(200);
    expect(calls).toEqual([['7c1e09ab42', '张工', '发电机已启动']]);
    const { incident, alerts } = response.json<{ incident: Incident; alerts: Alert[] }>();
    expect([incident.status, incident.ack]).toEqual(['acknowledged', { by: '张工', at: NOW, note: '发电机已启动' }]);
    expect(alerts.map((a) => [a.id, a.status, a.ack?.by ?? null])).toEqual([
      ['aaaaaaaaa1', 'acknowledged', '张工'],
      ['ccccccccc1', 'acknowledged', '李工'],
      ['ddddddddd1', 'acknowledged', '张工'],
      ['eeeeeeeee1', 'resolved', null],
    ]);
  });

  it('needs the token: 401 without it or when none is configured, and the engine is not asked', async () => {
    const { app, calls } = world();
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
      const response = await ack(app, '7c1e09ab42', { by: '张工' }, headers);
      expect(response.statusCode).toBe(401);
      expect(response.json<{ code: string }>().code).toBe('UNAUTHORIZED');
    }
    const noToken = buildApp({ ...world().deps, token: undefined });
    const refused = await ack(noToken, '7c1e09ab42', { by: '张工' });
    expect([refused.statusCode, refused.json()]).toEqual([401, { code: 'UNAUTHORIZED', message: 'wrong token: it matches no api.users entry and not api.token' }]);
    expect(calls).toEqual([]);
  });

  it('answers 404 for an unknown incident, 409 for an acknowledged or resolved one, 400 for a bad id or body', async () => {
    const { app } = world();
    expect((await ack(app, '0123456789', { by: '张工' })).json()).toEqual({ code: 'NOT_FOUND', message: 'no incident 0123456789 among the active and recent incidents' });
    expect((await ack(app, '7c1e09ab42', { by: '张工' })).statusCode).toBe(200);
    const again = await ack(app, '7c1e09ab42', { by: '李工' });
    expect([again.statusCode, again.json()]).toEqual([409, { code: 'ALREADY_ACKNOWLEDGED', message: 'incident 7c1e09ab42 is already acknowledged by 张工' }]);
    const resolved = await ack(app, '9d00000001', { by: '李工' });
    expect([resolved.statusCode, resolved.json()]).toEqual([409, { code: 'ALREADY_RESOLVED', message: 'incident 9d00000001 is resolved; nothing to acknowledge' }]);
    const badId = await ack(app, 'not-an-id', { by: '张工' });
    expect([badId.statusCode, badId.json()]).toEqual([400, { code: 'BAD_REQUEST', message: 'params.id: an incident id is 10 hexadecimal digits, e.g. 3f9c2a1b07' }]);
    const emptyBy = await ack(app, '7c1e09ab42', { by: '' });
    expect([emptyBy.statusCode, emptyBy.json<{ code: string }>().code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('records the caller as the acknowledger when the body names nobody', async () => {
    const { app, calls } = world();
    expect((await ack(app, '7c1e09ab42', { note: '发电机已启动' })).statusCode).toBe(200);
    expect(calls).toEqual([['7c1e09ab42', 'api.token', '发电机已启动']]);
  });
});

describe('GET /api/alerts/:id', () => {
  it('answers an active or a recent alert, to a caller with credentials only', async () => {
    const { app } = world();
    expect((await get(app, '/api/alerts/ddddddddd1', {})).statusCode).toBe(401);
    const latched = await get(app, '/api/alerts/ddddddddd1');
    expect(latched.statusCode).toBe(200);
    expect(latched.json<Alert>()).toMatchObject({ id: 'ddddddddd1', status: 'firing', latchedAt: NOW - 10_000, incidentId: '7c1e09ab42' });
    const resolved = await get(app, '/api/alerts/eeeeeeeee1');
    expect(resolved.json<Alert>()).toMatchObject({ id: 'eeeeeeeee1', status: 'resolved', resolution: { reason: 'cleared' } });
  });

  it('answers an unknown alert 404 NOT_FOUND and a malformed id 400', async () => {
    const { app } = world();
    const missing = await get(app, '/api/alerts/0123456789');
    expect([missing.statusCode, missing.json()]).toEqual([404, { code: 'NOT_FOUND', message: 'no alert 0123456789 among the active and recent alerts (older ones are in InfluxDB, alert_events)' }]);
    const bad = await get(app, `/api/alerts/${'g'.repeat(10)}`);
    expect([bad.statusCode, bad.json()]).toEqual([400, { code: 'BAD_REQUEST', message: 'params.id: an alert id is 10 hexadecimal digits, e.g. 3f9c2a1b07' }]);
  });
});

describe('/api/health with incidents', () => {
  it('counts open incidents (open, acknowledged or settling) beside what the daemon reports', async () => {
    const { app } = world();
    expect((await get(app, '/api/health')).json()).toEqual({ status: 'ok', active_alerts: 4, open_incidents: 1 });
    await ack(app, '7c1e09ab42', { by: '张工' });
    expect((await get(app, '/api/health')).json()).toEqual({ status: 'ok', active_alerts: 4, open_incidents: 1 });
  });

  it('says nothing of incidents, and has no incident routes, when the daemon gives none', async () => {
    const app = buildApp({ ...world().deps, incidents: undefined });
    expect((await get(app, '/api/health')).json()).toEqual({ status: 'ok', active_alerts: 4 });
    const incidents = await get(app, '/api/incidents');
    expect([incidents.statusCode, incidents.json<{ code: string }>().code]).toEqual([404, 'NOT_FOUND']);
  });
});
