import { type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../alerting/alerts.js';
import type { LocalizedDisplay } from '../../alerting/display.js';
import type { Silence } from '../../alerting/core/mute.js';
import type { Incident, IncidentMember } from '../../alerting/incidents/incident.js';
import { Secret } from '../../common/config/secret.js';
import { buildApp } from '../app.js';
import { ErrorBody } from '../errors.js';
import { AlertList, AlertSchema, AlertView, DisplaySchema, type AlertDisplay, type AlertsDeps } from './alerts.js';
import { HealthSchema } from './health.js';
import { IncidentDetail, IncidentList, IncidentSchema } from './incidents.js';
import { SilenceSchema } from './silences.js';

// The schemas and alerting's types must describe the same thing: fastify serializes answers by
// the schema and drops what it does not name. A field added to Alert or Silence fails to compile
// here (the fixtures are Required<>) until the schema names it too.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const alertTypesAgree: Same<Required<Static<typeof AlertSchema>>, Required<Alert>> = true;
const silenceTypesAgree: Same<Required<Static<typeof SilenceSchema>>, Required<Silence>> = true;
const incidentTypesAgree: Same<Required<Static<typeof IncidentSchema>>, Required<Incident>> = true;
// Required<> reaches one level down; members carry optional flags of their own.
const memberTypesAgree: Same<Required<Static<typeof IncidentSchema>['members'][number]>, Required<IncidentMember>> = true;
// What the API answers for an alert is the alert and how to say its value, nothing else.
const displayTypesAgree: Same<Required<Static<typeof DisplaySchema>['en']>, Required<LocalizedDisplay['en']>> = true;
const alertViewAgrees: Same<Required<Static<typeof AlertView>>, Required<Alert & { display: AlertDisplay }>> = true;

const TOKEN = 'api-token-7f3a';
const auth = { authorization: `Bearer ${TOKEN}` };
const NOW = Date.parse('2026-11-22T00:00:00Z');

const everyAlertField: Required<Alert> = {
  id: '3f9c2a1b07',
  key: 'ups-3|ups_battery_low|phase=L1',
  rule: 'ups_battery_low',
  severity: 'major',
  summary: { en: 'UPS 3 battery low', 'zh-CN': 'UPS 3 电池电量低' },
  source: 'rule',
  device: 'ups-3',
  labels: { site: 'bj1', room: 'a', phase: 'L1' },
  status: 'acknowledged',
  flapping: true,
  condition: 'cleared',
  value: 12.75,
  threshold: '< 20',
  measurement: 'ups',
  field: 'battery_charge',
  firingSince: NOW - 60_000.5,
  resolvedAt: NOW,
  ack: { by: '张工', at: NOW - 1000, note: '已到现场' },
  notes: [{ by: '李工', at: NOW - 500, text: '换电池' }],
  incident: 'inc-7',
  explainedBy: 'mains_failure',
  muted: 'silence s1',
  tiers: [0, 1],
  lastSentAt: NOW - 30_000,
  latchedAt: NOW - 10_000,
  told: ['duty'],
  resolution: { reason: 'trap', text: 'powerRestored' },
  incidentId: '7c1e09ab42',
  category: 'power',
  place: { name: '3号UPS', site: 'bj1', siteName: '北京一号', room: 'a', roomName: 'A 机房', deviceType: 'ups-rfc1628', category: 'ups', labels: { region: 'north' } },
  advice: { en: ['Check the mains'], 'zh-CN': ['检查市电'] },
  context: [{ measurement: 'ups', field: 'battery_charge', value: 96, unit: '%', at: NOW - 1000 }],
};
const textValued: Alert = { ...everyAlertField, id: '0123456789', value: 'onBattery', notes: [], tiers: [] };
const everyIncidentField: Required<Incident> = {
  id: '7c1e09ab42',
  type: 'mains_failure',
  scope: { level: 'room', site: 'bj1', room: 'a', device: 'ups-3' },
  severity: 'critical',
  category: 'power',
  summary: { en: 'mains failure', 'zh-CN': '市电中断' },
  advice: { en: ['Check the mains and the generator'], 'zh-CN': ['确认市电与发电机'] },
  status: 'settling',
  openedAt: NOW - 600_000,
  settlingSince: NOW - 60_000,
  resolvedAt: NOW,
  members: [
    { key: 'ups-3|ups_on_battery', id: '3f9c2a1b07', role: 'opener', joinedAt: NOW - 600_000, reattributed: false, listed: true },
    { key: 'crac-1|crac_alarm', id: '0123456789', role: 'member', joinedAt: NOW - 599_000.5, reattributed: true, listed: false },
  ],
  ack: { by: '张工', at: NOW - 300_000, note: '发电机已启动' },
  notes: [{ by: '李工', at: NOW - 200_000, text: '市电恢复' }],
  told: ['duty'],
  tiers: [0],
  lastSentAt: NOW - 590_000,
};
const display: AlertDisplay = { en: { value: 'on battery', threshold: '= on battery', state: true, byState: true }, 'zh-CN': { threshold: '= 电池供电', state: false, byState: false } };
const everySilenceField: Required<Silence> = { id: 's1', matchers: { device: 'ups-3', rule: 'ups_battery_low' }, startsAt: NOW, endsAt: NOW + 3_600_000, author: '张工', reason: '更换电池' };

function app(alertExtras: Pick<AlertsDeps, 'display'> = {}) {
  return buildApp({
    silences: { list: () => [everySilenceField], add: (input) => ({ ...input, id: 's2' }), expire: () => true },
    alerts: { active: () => [everyAlertField, textValued], recent: () => [], alert: (id) => [everyAlertField, textValued].find((a) => a.id === id), acknowledge: () => everyAlertField, ...alertExtras },
    incidents: { active: () => [everyIncidentField], recent: () => [], get: () => everyIncidentField, acknowledge: () => everyIncidentField },
    health: () => ({ status: 'ok', influxdb: { spooledPoints: 3 }, outbox: 0, traps: { received: 2 } }),
    token: new Secret(TOKEN),
    now: () => NOW,
  });
}

/** The answer parsed, after checking that it is what the route's response schema promises. */
function conforming(schema: TSchema, body: string): unknown {
  const parsed: unknown = JSON.parse(body);
  expect([...Value.Errors(schema, parsed)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
  return parsed;
}

describe('API response schemas', () => {
  it('agree with alerting’s Alert, Incident and Silence types', () => {
    expect([alertTypesAgree, alertViewAgrees, displayTypesAgree, incidentTypesAgree, memberTypesAgree, silenceTypesAgree]).toEqual([true, true, true, true, true, true]);
  });

  it('keep every field of an alert, numeric and text values alike', async () => {
    const response = await app().inject({ method: 'GET', url: '/api/alerts', headers: auth });
    expect(response.statusCode).toBe(200);
    expect(conforming(AlertList, response.body)).toEqual({ active: [everyAlertField, textValued], recent: [] });
    const ack = await app().inject({ method: 'POST', url: '/api/alerts/3f9c2a1b07/ack', payload: { by: '张工' }, headers: auth });
    expect(conforming(AlertSchema, ack.body)).toEqual(everyAlertField);
  });

  it('keep every field of an alert asked for by id, and its display when the daemon can say it', async () => {
    const plain = await app().inject({ method: 'GET', url: '/api/alerts/3f9c2a1b07', headers: auth });
    expect(conforming(AlertView, plain.body)).toEqual(everyAlertField);
    const said = await app({ display: () => display }).inject({ method: 'GET', url: '/api/alerts/0123456789', headers: auth });
    expect(conforming(AlertView, said.body)).toEqual({ ...textValued, display });
    const listed = await app({ display: () => display }).inject({ method: 'GET', url: '/api/alerts', headers: auth });
    expect(conforming(AlertList, listed.body)).toEqual({ active: [{ ...everyAlertField, display }, { ...textValued, display }], recent: [] });
  });

  it('keep every field of an incident, listed, shown and acknowledged', async () => {
    const listed = await app().inject({ method: 'GET', url: '/api/incidents', headers: auth });
    expect(conforming(IncidentList, listed.body)).toEqual({ active: [everyIncidentField], recent: [] });
    const detail = { incident: everyIncidentField, alerts: [everyAlertField, textValued] };
    const shown = await app().inject({ method: 'GET', url: '/api/incidents/7c1e09ab42', headers: auth });
    expect(conforming(IncidentDetail, shown.body)).toEqual(detail);
    const ack = await app().inject({ method: 'POST', url: '/api/incidents/7c1e09ab42/ack', payload: { by: '张工' }, headers: auth });
    expect(conforming(IncidentDetail, ack.body)).toEqual(detail);
  });

  it('keep every field of a silence, listed and created', async () => {
    const listed = await app().inject({ method: 'GET', url: '/api/silences', headers: auth });
    expect(conforming(SilenceSchema, listed.body.slice(1, -1))).toEqual(everySilenceField);
    const created = await app().inject({
      method: 'POST',
      url: '/api/silences',
      payload: { matchers: { device: 'ups-3' }, ends: new Date(NOW + 3_600_000).toISOString(), author: '张工', reason: '更换电池' },
      headers: auth,
    });
    expect(created.statusCode).toBe(201);
    expect(conforming(SilenceSchema, created.body)).toEqual({ id: 's2', matchers: { device: 'ups-3' }, startsAt: NOW, endsAt: NOW + 3_600_000, author: '张工', reason: '更换电池' });
  });

  it('let health figures through as the daemon gives them', async () => {
    const response = await app().inject({ method: 'GET', url: '/api/health', headers: auth });
    expect(conforming(HealthSchema, response.body)).toEqual({ status: 'ok', influxdb: { spooledPoints: 3 }, outbox: 0, traps: { received: 2 }, open_incidents: 1 });
  });

  it('answer every error as an ErrorBody', async () => {
    const api = app();
    for (const [method, url, payload, headers] of [
      ['GET', '/api/nope', undefined, {}],
      ['GET', '/api/nope', undefined, auth],
      ['DELETE', '/api/silences/s1', undefined, {}],
      ['POST', '/api/alerts/xyz/ack', { by: 'a' }, auth],
      ['GET', '/api/alerts/xyz', undefined, auth],
      ['GET', '/api/incidents/xyz', undefined, auth],
      ['POST', '/api/incidents/7c1e09ab42/ack', { by: 'a' }, {}],
      ['POST', '/api/silences', { matchers: {}, ends: 'soon', author: 'a', reason: 'r' }, auth],
    ] as const) {
      const response = await api.inject({ method, url, payload, headers });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      conforming(ErrorBody, response.body);
    }
  });
});
