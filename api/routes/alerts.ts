import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Alert } from '../../alerting/alerts.js';
import { SEVERITIES } from '../../alerting/core/rule.js';
import { FAULT_CATEGORIES } from '../../common/contracts/template-rule.js';
import { ERROR_RESPONSES, sendError } from '../errors.js';
import { MAX_AUTHOR, MAX_TEXT } from '../limits.js';
import { IdText } from './common.js';

/** What the alerts routes read and do; the engine provides it in the daemon, tests a fake. */
export interface AlertsDeps {
  active(): Alert[];
  recent(): Alert[];
  /** The alert with this id, active or among the recent ones; undefined when the daemon holds none. */
  alert(id: string): Alert | undefined;
  acknowledge(id: string, by: string, note?: string): Alert | { error: string };
  /**
   * Its value and threshold in words per language (state names, not raw numbers), computed when
   * answered; absent: the answers carry no `display` and clients show the raw value.
   */
  display?(alert: Alert): AlertDisplay;
}

const Person = Type.Object({ by: Type.String(), at: Type.Number() });

/** Every field of alerting's Alert (a test keeps the two in step). */
const alertFields = {
  id: Type.String(),
  key: Type.String(),
  rule: Type.String(),
  severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
  summary: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }),
  source: Type.String(),
  device: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  status: Type.Union([Type.Literal('firing'), Type.Literal('acknowledged'), Type.Literal('resolved')]),
  flapping: Type.Boolean(),
  condition: Type.Optional(
    Type.Union([Type.Literal('holds'), Type.Literal('cleared')], { description: 'what the latest reading says; a flapping or latched alert stays active while cleared' }),
  ),
  value: Type.Optional(Type.Union([Type.Number(), Type.String()])),
  threshold: Type.String(),
  measurement: Type.String(),
  field: Type.String(),
  firingSince: Type.Number(),
  resolvedAt: Type.Optional(Type.Number()),
  ack: Type.Optional(Type.Composite([Person, Type.Object({ note: Type.Optional(Type.String()) })])),
  notes: Type.Array(Type.Composite([Person, Type.Object({ text: Type.String() })])),
  incident: Type.Optional(Type.String()),
  explainedBy: Type.Optional(Type.String()),
  muted: Type.Optional(Type.String()),
  tiers: Type.Array(Type.Number()),
  lastSentAt: Type.Optional(Type.Number()),
  latchedAt: Type.Optional(Type.Number({ description: 'condition cleared, latched until acknowledged (since then)' })),
  told: Type.Optional(Type.Array(Type.String())),
  resolution: Type.Optional(
    Type.Object({
      reason: Type.Union([Type.Literal('cleared'), Type.Literal('acknowledged'), Type.Literal('removed'), Type.Literal('trap')]),
      text: Type.Optional(Type.String()),
    }),
  ),
  incidentId: Type.Optional(Type.String({ description: 'the incident it is part of (GET /api/incidents/:id)' })),
  category: Type.Optional(Type.Union(FAULT_CATEGORIES.map((c) => Type.Literal(c)))),
  advice: Type.Optional(Type.Object({ en: Type.Array(Type.String()), 'zh-CN': Type.Array(Type.String()) }, { description: 'what to do, numbered steps' })),
  place: Type.Optional(
    Type.Object(
      {
        name: Type.String(), site: Type.String(), siteName: Type.String(), room: Type.String(), roomName: Type.String(),
        deviceType: Type.String(), category: Type.String(), labels: Type.Record(Type.String(), Type.String()),
      },
      { description: 'its device\'s names and place when it opened' },
    ),
  ),
  context: Type.Optional(
    Type.Array(
      Type.Object({
        measurement: Type.String(),
        field: Type.String(),
        tags: Type.Optional(Type.Record(Type.String(), Type.String())),
        value: Type.Union([Type.Number(), Type.String(), Type.Null()]),
        unit: Type.Optional(Type.String()),
        at: Type.Number(),
      }),
      { description: 'latest readings of the points its rule names as context' },
    ),
  ),
};

/** An alert as the engine holds it, field for field. */
export const AlertSchema = Type.Object(alertFields, { additionalProperties: false });

const ValueText = Type.Object(
  {
    value: Type.Optional(Type.String({ description: 'the state name (电池供电) or the number with its unit (33.1 °C); absent when the alert has no value' })),
    threshold: Type.String({ description: 'the condition: "= 电池供电", "< 198 V"' }),
    state: Type.Boolean({ description: 'the value is a named state: say 当前状态 / state, not 当前值 / value' }),
    byState: Type.Boolean({ description: 'the condition is a list of states (a state rule): the state name says it, so leave the condition out' }),
  },
  { additionalProperties: false },
);
export const DisplaySchema = Type.Object(
  { en: ValueText, 'zh-CN': ValueText },
  { additionalProperties: false, description: 'its value and condition as people read them (state names, units), per language' },
);
export type AlertDisplay = Static<typeof DisplaySchema>;

/** An alert as the API answers with it: the engine's fields, and how to say its value when the daemon can. */
export const AlertView = Type.Object({ ...alertFields, display: Type.Optional(DisplaySchema) }, { additionalProperties: false });
export type AlertView = Static<typeof AlertView>;

/** The alert as answered: with its display when the deps can say it. */
export function viewOf(alerts: Pick<AlertsDeps, 'display'>, alert: Alert): AlertView {
  return alerts.display ? { ...alert, display: alerts.display(alert) } : alert;
}

/** The most recent resolved alerts listed; the full history is in InfluxDB (alert_events). */
const RECENT_LIMIT = 100;

export const AlertList = Type.Object({ active: Type.Array(AlertView), recent: Type.Array(AlertView, { maxItems: RECENT_LIMIT }) });

/** Alert and incident ids alike: 10 hex digits (a sha256 prefix), typed by people. */
export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{10}$' }) });
export const AckParams = IdParams;
export const AckBody = Type.Object(
  {
    by: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_AUTHOR, description: 'who acknowledges; the caller\'s name (api.users) when not given' })),
    note: Type.Optional(Type.String({ maxLength: MAX_TEXT })),
  },
  { additionalProperties: false },
);

/** Filters of GET /api/alerts; each given one must match (an alert's place as when it opened, else its labels). */
export const AlertsQuery = Type.Object(
  {
    site: Type.Optional(IdText),
    room: Type.Optional(IdText),
    device: Type.Optional(IdText),
    severity: Type.Optional(Type.Union(SEVERITIES.map((s) => Type.Literal(s)))),
    category: Type.Optional(Type.Union(FAULT_CATEGORIES.map((c) => Type.Literal(c)))),
  },
  { additionalProperties: false },
);
export type AlertsFilter = Static<typeof AlertsQuery>;

export function alertMatches(alert: Alert, filter: AlertsFilter): boolean {
  const site = alert.place?.site ?? alert.labels.site;
  const room = alert.place?.room ?? alert.labels.room;
  return (
    (!filter.site || site === filter.site) &&
    (!filter.room || room === filter.room) &&
    (!filter.device || alert.device === filter.device) &&
    (!filter.severity || alert.severity === filter.severity) &&
    (!filter.category || alert.category === filter.category)
  );
}

/**
 * GET /api/alerts and GET /api/alerts/:id (viewer) and POST /api/alerts/:id/ack (operator).
 */
export function alertsRoutes(app: FastifyInstance, alerts: AlertsDeps): void {
  app.get<{ Querystring: AlertsFilter }>(
    '/api/alerts',
    { config: { access: 'viewer' }, schema: { summary: 'Active and recently resolved alerts, optionally filtered', querystring: AlertsQuery, response: { 200: AlertList, ...ERROR_RESPONSES } } },
    (request) => {
      const match = (a: Alert) => alertMatches(a, request.query);
      return {
        active: alerts.active().filter(match).map((a) => viewOf(alerts, a)),
        recent: alerts.recent().filter(match).slice(0, RECENT_LIMIT).map((a) => viewOf(alerts, a)),
      };
    },
  );

  // The link in every alert message points here, so it must answer for resolved alerts too.
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/alerts/:id',
    { config: { idName: 'an alert id', access: 'viewer' }, schema: { summary: 'One alert, active or recent', params: IdParams, response: { 200: AlertView, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const alert = alerts.alert(request.params.id);
      if (alert) return viewOf(alerts, alert);
      return sendError(reply, 'NOT_FOUND', `no alert ${request.params.id} among the active and recent alerts (older ones are in InfluxDB, alert_events)`);
    },
  );

  app.post<{ Params: Static<typeof AckParams>; Body: Static<typeof AckBody> }>(
    '/api/alerts/:id/ack',
    { config: { access: 'operator' }, schema: { summary: 'Acknowledge an alert', params: AckParams, body: AckBody, response: { 200: AlertView, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const result = alerts.acknowledge(request.params.id, request.body.by ?? request.identity!.name, request.body.note);
      if (!('error' in result)) return viewOf(alerts, result);
      return sendError(reply, result.error.startsWith('no active') ? 'NOT_FOUND' : 'ALREADY_ACKNOWLEDGED', result.error);
    },
  );
}
