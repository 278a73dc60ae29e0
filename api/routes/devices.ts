import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DeviceSpec } from '../../common/contracts/device.js';
import type { DeviceLatest } from '../../common/contracts/latest.js';
import { ERROR_RESPONSES, sendError } from '../errors.js';
import { ID_SHAPE, IdText, Localized, readStorage, SeriesList, type StorageDeps } from './common.js';
import { readSeries, trendQuery } from '../series.js';

/** Sites and rooms as configured (the main file's `sites:`). */
export type SiteList = ReadonlyArray<{ id: string; name?: string; rooms: ReadonlyArray<{ id: string; name?: string }> }>;

/** What the device routes read: the configuration's devices and places, and the latest poll of each. */
export interface InventoryDeps {
  sites(): SiteList;
  devices(): readonly DeviceSpec[];
  /** Its names and place as messages say them (alerting's Directory placeOf). */
  place(id: string): DevicePlace | undefined;
  /** The read model (collector/latest.ts); undefined for an id it does not know. */
  latest(id: string): DeviceLatest | undefined;
}

export const LatestReadingSchema = Type.Object(
  {
    measurement: Type.String(),
    field: Type.String(),
    tags: Type.Optional(Type.Record(Type.String(), Type.String(), { description: "the point's own tags (phase, sensor)" })),
    value: Type.Union([Type.Number(), Type.String(), Type.Null()], { description: 'null: the device answered without a usable value' }),
    unit: Type.Optional(Type.String()),
    at: Type.Number({ description: 'start of the poll that read it, epoch ms' }),
  },
  { additionalProperties: false },
);

const statusFields = {
  id: Type.String(),
  name: Type.String(),
  site: Type.String(),
  siteName: Type.String(),
  room: Type.String(),
  roomName: Type.String(),
  type: Type.String({ description: 'its template (ups-rfc1628, sdm630, ...)' }),
  category: Type.String({ description: "its template's category (ups, power_meter, crac, environment, leak)" }),
  protocol: Type.String({ description: 'the driver that reads it (snmp, modbus)' }),
  status: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('unknown')], { description: 'its last poll answered (up), failed (down), or none yet since the daemon started (unknown)' }),
  lastPollAt: Type.Optional(Type.Number()),
  lastOkAt: Type.Optional(Type.Number()),
  lastError: Type.Optional(Type.String()),
  pollDurationMs: Type.Optional(Type.Number()),
  readings: Type.Array(LatestReadingSchema, { description: 'the latest value of each point, from memory (answers while InfluxDB is down)' }),
};
export const DeviceStatusSchema = Type.Object(statusFields, { additionalProperties: false });
export type DeviceStatus = Static<typeof DeviceStatusSchema>;
/** A device's names and place, as alerting's Directory says them. */
export type DevicePlace = Pick<DeviceStatus, 'name' | 'site' | 'siteName' | 'room' | 'roomName' | 'category'>;

const PointSchema = Type.Object(
  {
    measurement: Type.String(),
    field: Type.String(),
    tags: Type.Optional(Type.Record(Type.String(), Type.String())),
    unit: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    states: Type.Optional(Type.Record(Type.String(), Localized, { description: 'names of its enumerated raw values' })),
  },
  { additionalProperties: false },
);
export const DeviceDetailSchema = Type.Object({ ...statusFields, points: Type.Array(PointSchema, { description: "its template's points" }) }, { additionalProperties: false });

const DevicesQuery = Type.Object({ site: Type.Optional(IdText), room: Type.Optional(IdText) }, { additionalProperties: false });
const DeviceParams = Type.Object({ id: IdText });

/** A day of raw readings is what the console charts; a week is the most one request reads. */
export const MAX_TREND_HOURS = 168;
const TrendQuery = Type.Object(
  {
    field: Type.String({ pattern: '^[A-Za-z0-9_]+$', maxLength: 128, description: 'a field of one of its points (GET /api/devices/:id lists them)' }),
    measurement: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_]+$', maxLength: 128, description: "default: the template's measurement" })),
    hours: Type.Integer({ minimum: 1, maximum: MAX_TREND_HOURS, default: 24 }),
  },
  { additionalProperties: false },
);

const deviceConfig = { idName: 'a device id', idShape: ID_SHAPE };

function deviceStatus(spec: DeviceSpec, inventory: InventoryDeps): DeviceStatus {
  const { name, site, siteName, room, roomName, category } = inventory.place(spec.id) ?? { name: spec.name, site: spec.site, siteName: spec.site, room: spec.room, roomName: spec.room, category: spec.template.category };
  return {
    id: spec.id, name, site, siteName, room, roomName,
    type: spec.template.name,
    category,
    protocol: spec.template.driver,
    ...(inventory.latest(spec.id) ?? { status: 'unknown', readings: [] }),
  };
}

/** The points a trend may read: the template's, and the health every device gets. */
function pointsOf(spec: DeviceSpec): Array<{ measurement: string; field: string }> {
  return spec.template.points.map((p) => ({ measurement: p.measurement, field: p.field }));
}

/** GET /api/devices, /api/devices/:id (viewer) and /api/devices/:id/trend (viewer, InfluxDB). */
export function devicesRoutes(app: FastifyInstance, inventory: InventoryDeps, storage: StorageDeps | undefined): void {
  const find = (id: string) => inventory.devices().find((d) => d.id === id);
  const notFound = (id: string) => `no device ${id} in the configuration (GET /api/devices lists them)`;

  app.get<{ Querystring: Static<typeof DevicesQuery> }>(
    '/api/devices',
    { config: { access: 'viewer' }, schema: { summary: 'Devices with their status and latest readings', querystring: DevicesQuery, response: { 200: Type.Array(DeviceStatusSchema), ...ERROR_RESPONSES } } },
    (request) => {
      const { site, room } = request.query;
      return inventory
        .devices()
        .filter((d) => (!site || d.site === site) && (!room || d.room === room))
        .map((d) => deviceStatus(d, inventory));
    },
  );

  app.get<{ Params: Static<typeof DeviceParams> }>(
    '/api/devices/:id',
    { config: { ...deviceConfig, access: 'viewer' }, schema: { summary: 'One device, its status, readings and points', params: DeviceParams, response: { 200: DeviceDetailSchema, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const spec = find(request.params.id);
      if (!spec) return sendError(reply, 'NOT_FOUND', notFound(request.params.id));
      const points = spec.template.points.map((p) => ({
        measurement: p.measurement,
        field: p.field,
        ...(Object.keys(p.tags).length ? { tags: { ...p.tags } } : {}),
        ...(p.unit ? { unit: p.unit } : {}),
        ...(p.description ? { description: p.description } : {}),
        ...(p.states ? { states: { ...p.states } } : {}),
      }));
      return { ...deviceStatus(spec, inventory), points };
    },
  );

  if (!storage) return;
  app.get<{ Params: Static<typeof DeviceParams>; Querystring: Static<typeof TrendQuery> }>(
    '/api/devices/:id/trend',
    {
      config: { ...deviceConfig, access: 'viewer' },
      schema: { summary: 'One field of a device over the last hours, from InfluxDB', params: DeviceParams, querystring: TrendQuery, response: { 200: SeriesList, ...ERROR_RESPONSES } },
    },
    async (request, reply) => {
      const spec = find(request.params.id);
      if (!spec) return sendError(reply, 'NOT_FOUND', notFound(request.params.id));
      const { field, hours } = request.query;
      const measurement = request.query.measurement ?? spec.template.measurement;
      // Only names the template declares reach the query, quoted as well: nothing a client types becomes InfluxQL.
      const known = pointsOf(spec);
      if (!known.some((p) => p.measurement === measurement && p.field === field)) {
        const fields = [...new Set(known.filter((p) => p.measurement === measurement).map((p) => p.field))];
        return sendError(reply, 'BAD_REQUEST', `querystring: device ${spec.id} has no point ${measurement}.${field}; ${fields.length ? `its ${measurement} fields are ${fields.join(', ')}` : `its measurement is ${spec.template.measurement}`}`);
      }
      const to = storage.now();
      const query = trendQuery(spec, [{ measurement, field }], { fromMs: to - hours * 3_600_000, toMs: to }, storage);
      return readStorage(reply, async () => ({ series: await readSeries(storage.query, query) }));
    },
  );
}
