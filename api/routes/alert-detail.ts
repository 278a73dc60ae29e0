import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Alert } from '../../alerting/alerts.js';
import type { DeviceSpec } from '../../common/contracts/device.js';
import { HistoryUnavailable } from '../../reports/faults/store.js';
import { ERROR_RESPONSES, sendError } from '../errors.js';
import { readSeries, seriesQuery, type Series, type Span } from '../series.js';
import { TIMELINE_EVENTS, alertTimeline, type Escalation } from '../timeline.js';
import type { AlertsDeps } from './alerts.js';
import { IdParams } from './alerts.js';
import { readStorage, SeriesList, type StorageDeps } from './common.js';

/** What the alert detail routes read besides the alerts: InfluxDB, the devices, and the routes' escalation. */
export interface AlertDetailDeps {
  storage: StorageDeps;
  devices(): readonly DeviceSpec[];
  /** Its route's escalate_after and escalate_to (alerting routes); undefined when it never escalates. */
  escalation?: (alert: Alert) => Escalation | undefined;
}

export const MAX_AROUND_MINUTES = 1440;
/** An alert open for weeks is read for its first month: the opening is what people look at. */
const MAX_SPAN_MS = 31 * 86_400_000;

const ReadingsQuery = Type.Object({ minutes: Type.Integer({ minimum: 1, maximum: MAX_AROUND_MINUTES, default: 60, description: 'before it opened and after it resolved' }) }, { additionalProperties: false });
const AlertReadings = Type.Object(
  {
    from: Type.Number(),
    to: Type.Number(),
    series: SeriesList.properties.series,
    context: Type.Array(SeriesList.properties.series.items, { description: 'the points its rule names as context, over the same span' }),
  },
  { additionalProperties: false },
);
const TimelineSchema = Type.Array(
  Type.Object(
    {
      at: Type.Number(),
      event: Type.Union(TIMELINE_EVENTS.map((e) => Type.Literal(e))),
      by: Type.Optional(Type.String()),
      text: Type.Optional(Type.String()),
      receiver: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  ),
  { description: 'oldest first; `notified` is the latest first-tier notice (reminders move it)' },
);

const idConfig = { idName: 'an alert id', access: 'viewer' } as const;

/** GET /api/alerts/:id/readings and /api/alerts/:id/timeline (viewer). */
export function alertDetailRoutes(app: FastifyInstance, alerts: Pick<AlertsDeps, 'alert'>, deps: AlertDetailDeps): void {
  const { storage } = deps;

  app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof ReadingsQuery> }>(
    '/api/alerts/:id/readings',
    { config: idConfig, schema: { summary: "The alert's point (and its context points) around it, from InfluxDB", params: IdParams, querystring: ReadingsQuery, response: { 200: AlertReadings, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const alert = alerts.alert(request.params.id);
      if (!alert) return sendError(reply, 'NOT_FOUND', `no alert ${request.params.id} among the active and recent alerts; older ones keep no point to read (GET /api/alerts/${request.params.id}/timeline tells their history)`);
      const margin = request.query.minutes * 60_000;
      const fromMs = alert.firingSince - margin;
      const span: Span = { fromMs, toMs: Math.min(fromMs + MAX_SPAN_MS, alert.resolvedAt === undefined ? storage.now() : Math.min(alert.resolvedAt + margin, storage.now())) };
      const spec = deps.devices().find((d) => d.id === alert.device);
      const device = { id: alert.device, intervalMs: spec?.intervalMs ?? 10_000, tags: spec?.tags ?? {}, points: spec?.template.points ?? [] };
      const read = (wanted: { measurement: string; field: string; unit?: string }, matching: Readonly<Record<string, string>>) =>
        readSeries(storage.query, { ...seriesQuery(device, [wanted], span, storage, storage.now()), matching });
      return readStorage(reply, async () => {
        const series = await read({ measurement: alert.measurement, field: alert.field }, alert.labels);
        const context: Series[] = [];
        for (const point of alert.context ?? []) context.push(...(await read({ measurement: point.measurement, field: point.field, ...(point.unit ? { unit: point.unit } : {}) }, point.tags ?? {})));
        return { from: span.fromMs, to: span.toMs, series, context };
      });
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/alerts/:id/timeline',
    { config: idConfig, schema: { summary: 'What happened to the alert: opened, notified, acknowledged, escalated, noted, flapping, resolved', params: IdParams, response: { 200: TimelineSchema, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const { id } = request.params;
      const alert = alerts.alert(id);
      const escalation = alert && deps.escalation?.(alert);
      if (alert) {
        // Held alerts answer from their own fields while InfluxDB is down; only flapping's time is missed then.
        const rows = await storage.events({ alertId: id, limit: 1000 }).catch((error: unknown) => {
          if (error instanceof HistoryUnavailable) return [];
          throw error;
        });
        return alertTimeline(alert, rows, escalation);
      }
      return readStorage(reply, async () => {
        const rows = await storage.events({ alertId: id, limit: 1000 });
        if (!rows.length) return sendError(reply, 'NOT_FOUND', `no alert ${id}: the daemon holds none and alert_events has no row of it`);
        return alertTimeline(undefined, rows);
      });
    },
  );
}
