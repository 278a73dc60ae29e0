import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Alert } from '../../alerting/alerts.js';
import { SEVERITIES } from '../../alerting/core/rule.js';
import type { Incident } from '../../alerting/incidents/incident.js';
import { FAULT_CATEGORIES } from '../../common/contracts/template-rule.js';
import { ERROR_RESPONSES, sendError } from '../errors.js';
import { NoQuery } from './common.js';
import { AckBody, AlertView, IdParams, viewOf, type AlertsDeps } from './alerts.js';

/** What the incidents routes read and do; the engine provides it in the daemon, tests a fake. */
export interface IncidentsDeps {
  /** Open, acknowledged or settling, oldest first. */
  active(): Incident[];
  /** Resolved lately, newest first. */
  recent(): Incident[];
  /** The incident with this id, active or recent; undefined when the daemon holds none. */
  get(id: string): Incident | undefined;
  /** Acknowledges the incident and its active members (the engine's job, journaled there). */
  acknowledge(id: string, by: string, note?: string): Incident | { error: string };
}

const Localized = Type.Object({ en: Type.String(), 'zh-CN': Type.String() });
const Person = Type.Object({ by: Type.String(), at: Type.Number() });

/** An incident as the API shows it: every field of alerting's Incident (a test keeps the two in step). */
export const IncidentSchema = Type.Object(
  {
    id: Type.String(),
    type: Type.String({ description: 'mains_failure, comms_lost, or a type the configuration names' }),
    scope: Type.Object({
      level: Type.Union([Type.Literal('site'), Type.Literal('room'), Type.Literal('device')]),
      site: Type.String(),
      room: Type.Optional(Type.String()),
      device: Type.Optional(Type.String()),
    }),
    severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
    category: Type.Union(FAULT_CATEGORIES.map((c) => Type.Literal(c))),
    summary: Localized,
    advice: Type.Optional(Type.Object({ en: Type.Array(Type.String()), 'zh-CN': Type.Array(Type.String()) })),
    status: Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('settling'), Type.Literal('resolved')]),
    openedAt: Type.Number(),
    settlingSince: Type.Optional(Type.Number({ description: 'its last opener cleared; members get `settle` to clear before the recovery' })),
    resolvedAt: Type.Optional(Type.Number()),
    members: Type.Array(
      Type.Object({
        key: Type.String(),
        id: Type.String({ description: 'the alert id (GET /api/alerts/:id)' }),
        role: Type.Union([Type.Literal('opener'), Type.Literal('member')]),
        joinedAt: Type.Number(),
        reattributed: Type.Optional(Type.Boolean()),
        listed: Type.Optional(Type.Boolean()),
      }),
      { description: 'openers first, then members, each in joining order' },
    ),
    ack: Type.Optional(Type.Composite([Person, Type.Object({ note: Type.Optional(Type.String()) })])),
    notes: Type.Array(Type.Composite([Person, Type.Object({ text: Type.String() })])),
    told: Type.Optional(Type.Array(Type.String())),
    tiers: Type.Array(Type.Number()),
    lastSentAt: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);

/** Resolved incidents listed; the full history is in InfluxDB (alert_events, fault=incident). */
const RECENT_LIMIT = 100;

export const IncidentList = Type.Object({ active: Type.Array(IncidentSchema), recent: Type.Array(IncidentSchema, { maxItems: RECENT_LIMIT }) });

/**
 * One incident with its alerts as they are now (firing, acknowledged, latched, resolved), in the
 * order of its members. A member the daemon no longer holds (resolved long ago) is in
 * `incident.members` but not in `alerts`.
 */
export const IncidentDetail = Type.Object({ incident: IncidentSchema, alerts: Type.Array(AlertView) }, { additionalProperties: false });
export type IncidentDetail = Static<typeof IncidentDetail>;

function detailOf(incident: Incident, alerts: Pick<AlertsDeps, 'alert' | 'display'>): IncidentDetail {
  const held = incident.members.map((m) => alerts.alert(m.id)).filter((a): a is Alert => a !== undefined);
  return { incident, alerts: held.map((a) => viewOf(alerts, a)) };
}

const idConfig = { idName: 'an incident id' };

/**
 * GET /api/incidents and GET /api/incidents/:id are reads (viewer, like GET /api/alerts; the
 * console's incident page reads the second); POST /api/incidents/:id/ack needs an operator, like
 * acknowledging an alert.
 */
export function incidentsRoutes(app: FastifyInstance, incidents: IncidentsDeps, alerts: Pick<AlertsDeps, 'alert' | 'display'>): void {
  app.get('/api/incidents', { config: { access: 'viewer' }, schema: { summary: 'Active and recently resolved incidents', querystring: NoQuery, response: { 200: IncidentList, ...ERROR_RESPONSES } } }, () => ({
    active: incidents.active(),
    recent: incidents.recent().slice(0, RECENT_LIMIT),
  }));

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/incidents/:id',
    { config: { ...idConfig, access: 'viewer' }, schema: { summary: 'One incident with its alerts', params: IdParams, response: { 200: IncidentDetail, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const incident = incidents.get(request.params.id);
      if (incident) return detailOf(incident, alerts);
      return sendError(reply, 'NOT_FOUND', `no incident ${request.params.id} among the active and recent incidents (older ones are in InfluxDB, alert_events)`);
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof AckBody> }>(
    '/api/incidents/:id/ack',
    { config: { ...idConfig, access: 'operator' }, schema: { summary: 'Acknowledge an incident and its active alerts', params: IdParams, body: AckBody, response: { 200: IncidentDetail, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const { id } = request.params;
      const before = incidents.get(id);
      if (!before) return sendError(reply, 'NOT_FOUND', `no incident ${id} among the active and recent incidents`);
      const result = incidents.acknowledge(id, request.body.by ?? request.identity!.name, request.body.note);
      if (!('error' in result)) return detailOf(result, alerts);
      // The engine says why in words; the code tells a client whether there is anything left to do.
      return sendError(reply, before.status === 'resolved' ? 'ALREADY_RESOLVED' : 'ALREADY_ACKNOWLEDGED', result.error);
    },
  );
}
