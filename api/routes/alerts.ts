import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Alert } from '../../alerting/alerts.js';
import { SEVERITIES } from '../../alerting/core/rule.js';
import { FAULT_CATEGORIES } from '../../common/contracts/template-rule.js';
import { ERROR_RESPONSES, sendError } from '../errors.js';
import { MAX_AUTHOR, MAX_TEXT } from '../limits.js';

/** What the alerts routes read and do; the engine provides it in the daemon, tests a fake. */
export interface AlertsDeps {
  active(): Alert[];
  recent(): Alert[];
  acknowledge(id: string, by: string, note?: string): Alert | { error: string };
}

const Person = Type.Object({ by: Type.String(), at: Type.Number() });

/** An alert as the API shows it: every field of alerting's Alert (a test keeps the two in step). */
export const AlertSchema = Type.Object(
  {
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
  },
  { additionalProperties: false },
);

/** The most recent resolved alerts listed; the full history is in InfluxDB (alert_events). */
const RECENT_LIMIT = 100;

export const AlertList = Type.Object({ active: Type.Array(AlertSchema), recent: Type.Array(AlertSchema, { maxItems: RECENT_LIMIT }) });

export const AckParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{10}$' }) });
export const AckBody = Type.Object(
  { by: Type.String({ minLength: 1, maxLength: MAX_AUTHOR }), note: Type.Optional(Type.String({ maxLength: MAX_TEXT })) },
  { additionalProperties: false },
);

/** GET /api/alerts (open) and POST /api/alerts/:id/ack (a write). */
export function alertsRoutes(app: FastifyInstance, alerts: AlertsDeps): void {
  app.get('/api/alerts', { schema: { response: { 200: AlertList, ...ERROR_RESPONSES } } }, () => ({
    active: alerts.active(),
    recent: alerts.recent().slice(0, RECENT_LIMIT),
  }));

  app.post<{ Params: Static<typeof AckParams>; Body: Static<typeof AckBody> }>(
    '/api/alerts/:id/ack',
    { config: { writes: true }, schema: { params: AckParams, body: AckBody, response: { 200: AlertSchema, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const result = alerts.acknowledge(request.params.id, request.body.by, request.body.note);
      if (!('error' in result)) return result;
      return sendError(reply, result.error.startsWith('no active') ? 'NOT_FOUND' : 'ALREADY_ACKNOWLEDGED', result.error);
    },
  );
}
