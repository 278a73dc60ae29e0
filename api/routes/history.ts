import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SEVERITIES } from '../../alerting/core/rule.js';
import { FAULT_CATEGORIES } from '../../common/contracts/template-rule.js';
import type { EventFilter, EventListRow } from '../../reports/faults/store.js';
import { ERROR_RESPONSES, sendError } from '../errors.js';
import { IdText, readStorage, type StorageDeps } from './common.js';

export type HistoryFilter = EventFilter;
export type HistoryEvent = EventListRow;

export const MAX_HISTORY_ROWS = 1000;

const HistoryQuery = Type.Object(
  {
    site: Type.Optional(IdText),
    room: Type.Optional(IdText),
    device: Type.Optional(IdText),
    category: Type.Optional(Type.Union(FAULT_CATEGORIES.map((c) => Type.Literal(c)))),
    severity: Type.Optional(Type.Union(SEVERITIES.map((s) => Type.Literal(s)))),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'rows at or after this time (ISO 8601 with offset)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'rows before this time' })),
    limit: Type.Integer({ minimum: 1, maximum: MAX_HISTORY_ROWS, default: 100 }),
  },
  { additionalProperties: false },
);

const Cell = Type.Union([Type.String(), Type.Number(), Type.Null()]);
const HistoryRowSchema = Type.Object(
  {
    time: Type.Number({ description: 'epoch ms' }),
    event: Cell, fault: Cell, incident: Cell, alert_id: Cell, rule: Cell, category: Cell, severity: Cell,
    site: Cell, room: Cell, device: Cell, device_type: Cell, site_name: Cell, room_name: Cell, device_name: Cell,
    value: Cell, duration_s: Cell, ack_after_s: Cell, ack_by: Cell, reason: Cell, members: Cell,
  },
  { additionalProperties: false, description: 'one alert_events row: opened, acknowledged, flapping or resolved (fault=incident: an incident\'s own row)' },
);

/** GET /api/history (viewer): rows of alert_events in InfluxDB, newest first. */
export function historyRoutes(app: FastifyInstance, storage: StorageDeps): void {
  app.get<{ Querystring: Static<typeof HistoryQuery> }>(
    '/api/history',
    { config: { access: 'viewer' }, schema: { summary: 'Alert history (alert_events), newest first', querystring: HistoryQuery, response: { 200: Type.Array(HistoryRowSchema), ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const { from, to, ...rest } = request.query;
      const fromMs = from === undefined ? undefined : Date.parse(from);
      const toMs = to === undefined ? undefined : Date.parse(to);
      if (fromMs !== undefined && toMs !== undefined && !(toMs > fromMs)) return sendError(reply, 'BAD_INTERVAL', 'querystring: "to" must be after "from"');
      return readStorage(reply, () => storage.events({ ...rest, fromMs, toMs }));
    },
  );
}
