import { Value } from '@sinclair/typebox/value';
import { Type, type TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../alerting/alerts.js';
import { testAlert } from '../../test/helpers/api-alerts.js';
import { testApi, testPoll, viewerGet } from '../../test/helpers/api-app.js';
import { API_TEST_SECRETS, loadTestConfig, writeApiTestConfig } from '../../test/helpers/api-config.js';
import { ErrorBody } from '../errors.js';
import { bearer } from '../../test/helpers/api-auth.js';
import type { ReloadDeps } from './reload.js';
import { DeviceDetailSchema, DeviceStatusSchema } from './devices.js';

const config = loadTestConfig(writeApiTestConfig());
const T0 = Date.parse('2026-12-01T08:00:00Z');
const auth = { authorization: `Bearer ${API_TEST_SECRETS.apiToken}` };
const meter = config.devices.find((d) => d.id === 'meter-1')!;
const ups1 = config.devices.find((d) => d.id === 'ups-1')!;

const onBattery = testAlert({ id: '3f9c2a1b07', device: 'ups-1', rule: 'ups_on_battery', severity: 'critical', category: 'power', labels: { site: 'hz', room: 'r2' }, firingSince: T0, told: ['duty-mail', 'wecom'], lastSentAt: T0 + 10_000, tiers: [0, 1],
  ack: { by: '张工', at: T0 + 60_000, note: '已到现场' }, notes: [{ by: '李工', at: T0 + 120_000, text: '市电恢复中' }], status: 'acknowledged' });
const lowVoltage = testAlert({ id: '0123456789', device: 'meter-1', severity: 'minor', category: 'power', labels: { site: 'hz', room: 'r1', phase: '2' }, place: { name: '1号电表', site: 'hz', siteName: '杭州', room: 'r1', roomName: '一楼机房', deviceType: 'sdm630', category: 'power_meter', labels: {} } });
const resolved = testAlert({ id: 'aaaaaaaaaa', device: 'ups-2', severity: 'warning', category: 'communication', labels: { site: 'aj', room: 'r9' }, status: 'resolved', resolvedAt: T0 + 300_000, resolution: { reason: 'cleared' } });

/** The API as the daemon builds it, with InfluxDB on a port nothing listens on. */
function api(reload?: ReloadDeps) {
  return testApi({
    config,
    active: [onBattery, lowVoltage],
    recent: [resolved],
    polls: [
      testPoll({ device: meter, time: T0, durationMs: 12.5, ok: true, readings: [{ measurement: 'power_meter', field: 'voltage', tags: { ...meter.tags, phase: '2' }, value: 196.5, source: 'fc4:30003', time: T0 }] }),
      testPoll({ device: ups1, time: T0, durationMs: 300, ok: false, error: 'request timed out' }),
    ],
    reload,
    now: () => T0 + 600_000,
  });
}

function conforming(schema: TSchema, body: string): unknown {
  const parsed: unknown = JSON.parse(body);
  expect([...Value.Errors(schema, parsed)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
  return parsed;
}

describe('GET /api/sites', () => {
  it('lists every configured site and room with its devices, those down, and active alerts by severity', async () => {
    const response = await viewerGet(api(), '/api/sites');
    expect(response.statusCode).toBe(200);
    const none = { critical: 0, major: 0, minor: 0, warning: 0 };
    expect(response.json()).toEqual([
      { id: 'hz', name: '杭州', rooms: [
        { id: 'r1', name: '一楼机房', devices: 1, down: 0, alerts: { ...none, minor: 1 } },
        { id: 'r2', name: '二楼机房', devices: 1, down: 1, alerts: { ...none, critical: 1 } },
      ] },
      // A room without a name is named by its id; a resolved alert counts nowhere.
      { id: 'aj', name: '安吉', rooms: [{ id: 'r9', name: 'r9', devices: 1, down: 0, alerts: none }] },
    ]);
  });
});

describe('GET /api/devices', () => {
  it('answers each device with its place, status and latest readings from memory', async () => {
    const response = await viewerGet(api(), '/api/devices');
    expect(response.statusCode).toBe(200);
    const devices = conforming(Type.Array(DeviceStatusSchema), response.body) as Array<Record<string, unknown>>;
    expect(devices.map((d) => [d.id, d.status])).toEqual([['meter-1', 'up'], ['ups-1', 'down'], ['ups-2', 'unknown']]);
    expect(devices[0]).toEqual({
      id: 'meter-1', name: '1号电表', site: 'hz', siteName: '杭州', room: 'r1', roomName: '一楼机房', type: 'sdm630', category: 'power_meter', protocol: 'modbus',
      status: 'up', lastPollAt: T0, lastOkAt: T0, pollDurationMs: 12.5,
      readings: [{ measurement: 'power_meter', field: 'voltage', tags: { phase: '2' }, value: 196.5, unit: 'V', at: T0 }],
    });
    expect(devices[1]).toMatchObject({ id: 'ups-1', protocol: 'snmp', status: 'down', lastPollAt: T0, lastError: 'request timed out', readings: [] });
    expect(devices[1]!.lastOkAt).toBeUndefined();
  });

  it('filters by site and room', async () => {
    const app = api();
    const ids = async (query: string) => (await viewerGet(app, `/api/devices${query}`)).json<Array<{ id: string }>>().map((d) => d.id);
    expect(await ids('?site=hz')).toEqual(['meter-1', 'ups-1']);
    expect(await ids('?site=hz&room=r2')).toEqual(['ups-1']);
    expect(await ids('?room=r9')).toEqual(['ups-2']);
    expect(await ids('?site=nowhere')).toEqual([]);
  });

  it('refuses an unknown filter and a malformed id instead of answering everything', async () => {
    const app = api();
    const unknown = await viewerGet(app, '/api/devices?sight=hz');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toEqual({ code: 'BAD_REQUEST', message: 'querystring: unknown key "sight"' });
    const malformed = await viewerGet(app, `/api/devices?site=${encodeURIComponent("hz' OR 1=1")}`);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({ code: 'BAD_REQUEST', message: 'querystring.site: expected an id as in the configuration (letters, digits, "_", "-", "."), e.g. ups-3' });
  });

  it('answers one device with its template points, units and state names', async () => {
    const response = await viewerGet(api(), '/api/devices/ups-1');
    expect(response.statusCode).toBe(200);
    const detail = conforming(DeviceDetailSchema, response.body) as { points: Array<{ field: string; unit?: string; states?: Record<string, { en: string; 'zh-CN': string }> }>; status: string };
    expect(detail.status).toBe('down');
    expect(detail.points.length).toBe(ups1.template.points.length);
    const source = detail.points.find((p) => p.field === 'output_source')!;
    expect(source.states?.['5']).toEqual({ en: 'on battery', 'zh-CN': '电池供电' });
    expect(detail.points.find((p) => p.field === 'battery_charge')).toMatchObject({ unit: '%' });
  });

  it('answers an unknown device 404 and a malformed id 400 in device words', async () => {
    const app = api();
    const missing = await viewerGet(app, '/api/devices/ups-9');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 'NOT_FOUND', message: 'no device ups-9 in the configuration (GET /api/devices lists them)' });
    const bad = await viewerGet(app, '/api/devices/-ups');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ code: 'BAD_REQUEST', message: 'params.id: a device id is letters, digits, "_", "-" and "." as in the configuration, e.g. ups-3' });
  });

  it('checks a trend request against the template before asking InfluxDB, and answers 503 when InfluxDB does not answer', async () => {
    const app = api();
    const unknownField = await viewerGet(app, '/api/devices/meter-1/trend?field=temperature');
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json<{ message: string }>().message).toMatch(/^querystring: device meter-1 has no point power_meter\.temperature; its power_meter fields are voltage, current, /);
    const injected = await viewerGet(app, `/api/devices/meter-1/trend?field=${encodeURIComponent('voltage") FROM x; DROP DATABASE api_test; --')}`);
    expect(injected.statusCode).toBe(400);
    for (const hours of ['0', '169', '1.5', 'day']) expect((await viewerGet(app, `/api/devices/meter-1/trend?field=voltage&hours=${hours}`)).statusCode).toBe(400);
    const down = await viewerGet(app, '/api/devices/meter-1/trend?field=voltage');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ code: 'STORAGE_UNAVAILABLE', message: 'InfluxDB cannot be read just now; try again shortly (the latest readings stay in GET /api/devices)' });
  });
});

describe('GET /api/alerts filters', () => {
  it('filters the active and recent alerts by site, room, device, severity and category', async () => {
    const app = api();
    const ids = async (query: string) => {
      const body = (await viewerGet(app, `/api/alerts${query}`)).json<{ active: Alert[]; recent: Alert[] }>();
      return [...body.active, ...body.recent].map((a) => a.id);
    };
    expect(await ids('')).toEqual(['3f9c2a1b07', '0123456789', 'aaaaaaaaaa']);
    expect(await ids('?site=hz')).toEqual(['3f9c2a1b07', '0123456789']);
    expect(await ids('?site=hz&room=r1')).toEqual(['0123456789']);
    expect(await ids('?device=ups-2')).toEqual(['aaaaaaaaaa']);
    expect(await ids('?severity=critical')).toEqual(['3f9c2a1b07']);
    expect(await ids('?category=communication')).toEqual(['aaaaaaaaaa']);
    expect(await ids('?category=power&severity=minor')).toEqual(['0123456789']);
  });

  it('refuses unknown filters and values outside the lists', async () => {
    const app = api();
    for (const [query, message] of [
      ['?colour=red', 'querystring: unknown key "colour"'],
      ['?severity=disaster', 'querystring.severity'],
      ['?category=weather', 'querystring.category'],
    ] as const) {
      const response = await viewerGet(app, `/api/alerts${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.json<{ message: string }>().message.startsWith(message)).toBe(true);
    }
  });
});

describe('GET /api/alerts/:id/timeline', () => {
  it('tells a held alert from its own fields while InfluxDB is down: opened, notified, escalated, acknowledged, noted', async () => {
    const response = await viewerGet(api(), '/api/alerts/3f9c2a1b07/timeline');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { at: T0, event: 'opened' },
      { at: T0 + 10_000, event: 'notified', receiver: 'duty-mail' },
      { at: T0 + 10_000, event: 'notified', receiver: 'wecom' },
      { at: T0 + 60_000, event: 'acknowledged', by: '张工', text: '已到现场' },
      { at: T0 + 120_000, event: 'noted', by: '李工', text: '市电恢复中' },
      // escalate_after 15m of its route (critical, major), to its escalate_to.
      { at: T0 + 900_000, event: 'escalated', receiver: 'dingtalk' },
    ]);
    const ended = await viewerGet(api(), '/api/alerts/aaaaaaaaaa/timeline');
    expect(ended.json()).toEqual([{ at: T0, event: 'opened' }, { at: T0 + 300_000, event: 'resolved', text: 'cleared' }]);
  });

  it('answers 503 for an alert it does not hold while InfluxDB is down, and 400 for a malformed id', async () => {
    const app = api();
    expect((await viewerGet(app, '/api/alerts/bbbbbbbbbb/timeline')).statusCode).toBe(503);
    const bad = await viewerGet(app, '/api/alerts/BBB/timeline');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ code: 'BAD_REQUEST', message: 'params.id: an alert id is 10 hexadecimal digits, e.g. 3f9c2a1b07' });
  });
});

describe('GET /api/history', () => {
  it('refuses bad times, reversed intervals, limits out of range and unknown filters', async () => {
    const app = api();
    for (const query of ['from=yesterday', 'to=2026-12-01', 'limit=0', 'limit=1001', 'severity=bad', 'rule=x', `device=${encodeURIComponent("a'b")}`]) {
      const response = await viewerGet(app, `/api/history?${query}`);
      expect({ query, status: response.statusCode }).toEqual({ query, status: 400 });
      conforming(ErrorBody, response.body);
    }
    const reversed = await viewerGet(app, '/api/history?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(reversed.json()).toEqual({ code: 'BAD_INTERVAL', message: 'querystring: "to" must be after "from"' });
    expect((await viewerGet(app, '/api/history?site=hz')).statusCode).toBe(503);
  });
});

describe('GET /api/config', () => {
  it('answers the running configuration with no secret value anywhere in it', async () => {
    const response = await api().inject({ url: '/api/config', headers: auth });
    expect(response.statusCode).toBe(200);
    for (const [where, value] of Object.entries(API_TEST_SECRETS)) expect({ where, leaked: response.body.includes(value) }).toEqual({ where, leaked: false });
    const body = response.json<{ influx: { password: string; url: string }; api: { token: string }; devices: Array<{ id: string; template: string; snmp?: { community?: string; authKey?: string } }>; alerting: { receivers: Array<{ id: string; url?: string }> }; dashboards: { datasource: { url: string } } }>();
    expect(body.influx.password).toBe('<secret>');
    expect(body.api.token).toBe('<secret>');
    expect(body.devices.map((d) => [d.id, d.template])).toEqual([['meter-1', 'sdm630'], ['ups-1', 'ups-rfc1628'], ['ups-2', 'apc-powernet-ups']]);
    expect(body.devices[1]!.snmp!.community).toBe('<secret>');
    expect(body.devices[2]!.snmp!.authKey).toBe('<secret>');
    expect(body.alerting.receivers.find((r) => r.id === 'dingtalk')!.url).toBe('<secret>');
    // A plain URL keeps its host and user; its password and query values are hidden.
    expect(body.dashboards.datasource.url).toBe('http://grafana:<secret>@influx.example:8086/?token=<secret>');
  });

  it('needs the admin credentials', async () => {
    const app = api();
    expect((await app.inject('/api/config')).statusCode).toBe(401);
    expect((await viewerGet(app, '/api/config')).statusCode).toBe(403);
  });
});

describe('POST /api/reload', () => {
  it('answers 202 and starts the reload once, when the answer has been sent', async () => {
    // Whether the answer had been written out when the reload was asked for, each time it was.
    const sent: boolean[] = [];
    let raw: import('node:http').ServerResponse | undefined;
    const app = api({ check: () => ({ ok: true }), trigger: () => void sent.push(raw?.writableEnded === true) });
    app.addHook('onRequest', async (_request, reply) => void (raw = reply.raw));
    const response = await app.inject({ method: 'POST', url: '/api/reload', headers: auth });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ reloading: true });
    expect(sent).toEqual([true]);
  });

  it('answers 400 CONFIG_INVALID with the problems and 409 RESTART_REQUIRED with the changes, and does not reload', async () => {
    let triggered = 0;
    const trigger = () => void (triggered += 1);
    const invalid = await api({ check: () => ({ ok: false, problems: ['/etc/roomwatch.yaml:3:5: devices[0].template: no template "ups-x"'] }), trigger }).inject({ method: 'POST', url: '/api/reload', headers: auth });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toEqual({ code: 'CONFIG_INVALID', message: '1 problem(s) in the configuration; the running one carries on', problems: ['/etc/roomwatch.yaml:3:5: devices[0].template: no template "ups-x"'] });
    const restart = await api({ check: () => ({ ok: false, restart: ['api.listen: 127.0.0.1:0 → 127.0.0.1:9999'] }), trigger }).inject({ method: 'POST', url: '/api/reload', headers: auth });
    expect(restart.statusCode).toBe(409);
    expect(restart.json()).toMatchObject({ code: 'RESTART_REQUIRED', changes: ['api.listen: 127.0.0.1:0 → 127.0.0.1:9999'] });
    const allowed = api({ check: () => ({ ok: true }), trigger });
    expect((await allowed.inject({ method: 'POST', url: '/api/reload' })).statusCode).toBe(401);
    expect((await allowed.inject({ method: 'POST', url: '/api/reload', headers: bearer() })).statusCode).toBe(403);
    expect(triggered).toBe(0);
  });
});
