import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Query } from '../../reports/influx-query.js';
import { HistoryUnavailable } from '../../reports/faults/store.js';
import { sendError } from '../errors.js';
import { ID_PATTERN } from '../limits.js';
import type { Aggregates } from '../series.js';
import type { HistoryFilter, HistoryEvent } from './history.js';

export const ID_SHAPE = 'is letters, digits, "_", "-" and "." as in the configuration, e.g. ups-3';
export const IdText = Type.String({ pattern: ID_PATTERN, maxLength: 128, description: 'an id as in the configuration' });

/** The request schema of a route that takes no input: a stray parameter is refused, not ignored. */
export const NoQuery = Type.Object({}, { additionalProperties: false });

export const Localized = Type.Object({ en: Type.String(), 'zh-CN': Type.String() }, { additionalProperties: false });

const SeriesSchema = Type.Object(
  {
    measurement: Type.String(),
    field: Type.String(),
    tags: Type.Record(Type.String(), Type.String()),
    unit: Type.Optional(Type.String()),
    // Not Type.Tuple: its draft-07 array `items` is no JSON Schema 2020-12, the dialect of OpenAPI 3.1.
    points: Type.Array(Type.Unsafe<[number, number | string | null]>(Type.Array(Type.Union([Type.Number(), Type.String(), Type.Null()]), { minItems: 2, maxItems: 2 })), {
      description: '[epoch ms, value] pairs, oldest first',
    }),
  },
  { additionalProperties: false },
);
export const SeriesList = Type.Object({ series: Type.Array(SeriesSchema) }, { additionalProperties: false });

/** What the InfluxDB-backed routes read through (the daemon: the configured influxdb; tests: a real influxd). */
export interface StorageDeps {
  /** reports/influx-query.ts influxQuery on the configured database. */
  query: Query;
  /** alert_events rows (reports/faults/store.ts FaultHistoryStore.events). */
  events(filter: HistoryFilter): Promise<HistoryEvent[]>;
  /** How long raw readings are kept (influxdb.raw_retention): older spans read the downsampled copy. */
  rawRetentionMs: number;
  /** How the downsampling aggregates each measurement's fields (collector/sink/downsample.ts downsamplePlan); trends window alike. */
  aggregates: Aggregates;
  now(): number;
}

/** Answers what InfluxDB gave, or 503 STORAGE_UNAVAILABLE when it did not answer (the cause goes to no client). */
export async function readStorage<T>(reply: FastifyReply, read: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HistoryUnavailable) return sendError(reply, 'STORAGE_UNAVAILABLE', 'InfluxDB cannot be read just now; try again shortly (the latest readings stay in GET /api/devices)');
    throw error;
  }
}
