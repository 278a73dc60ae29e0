import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parsePeriod, PeriodError, type Period } from '../../reports/faults/period.js';
import { DIMENSIONS, parseDimensions, type Dimension, type FaultReport } from '../../reports/faults/report.js';
import { HistoryUnavailable } from '../../reports/faults/store.js';
import { ERROR_RESPONSES, sendError } from '../errors.js';

/** What the reports routes read; the daemon reads InfluxDB (reports/faults/service.ts), tests may too. */
export interface ReportsDeps {
  faults(period: Period, by: readonly Dimension[]): Promise<FaultReport>;
}

const FaultsQuery = Type.Object(
  {
    from: Type.String({ minLength: 1, description: 'first local day YYYY-MM-DD, or a month YYYY-MM (reports.timezone)' }),
    to: Type.Optional(Type.String({ minLength: 1, description: 'last local day, inclusive (YYYY-MM-DD), or last month (YYYY-MM); default: from' })),
    by: Type.Optional(Type.String({ description: `comma-separated breakdowns: ${DIMENSIONS.join(', ')}; default category,severity` })),
  },
  { additionalProperties: false },
);

// The figures are reports/faults' FaultReport (docs/issue10/faults.md lists them); the top level is checked here.
const FaultReportBody = Type.Object(
  {
    timezone: Type.String(),
    current: Type.Unknown(),
    previous: Type.Unknown(),
    year_ago: Type.Unknown(),
    change: Type.Unknown(),
    breakdowns: Type.Unknown(),
    noisy_devices: Type.Unknown(),
    unacknowledged: Type.Unknown(),
  },
  { additionalProperties: false },
);

/** GET /api/reports/faults: a read (viewer). */
export function reportsRoutes(app: FastifyInstance, reports: ReportsDeps): void {
  app.get<{ Querystring: Static<typeof FaultsQuery> }>(
    '/api/reports/faults',
    { config: { access: 'viewer' }, schema: { summary: 'Fault statistics of a period from the alert history', querystring: FaultsQuery, response: { 200: FaultReportBody, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      let period: Period;
      try {
        period = parsePeriod(request.query.from, request.query.to);
      } catch (error) {
        if (error instanceof PeriodError) return sendError(reply, 'BAD_REQUEST', `querystring ${error.message}`);
        throw error;
      }
      const by = parseDimensions(request.query.by);
      if ('error' in by) return sendError(reply, 'BAD_REQUEST', `querystring ${by.error}`);
      try {
        return await reports.faults(period, by);
      } catch (error) {
        if (error instanceof HistoryUnavailable) return sendError(reply, 'STORAGE_UNAVAILABLE', 'the alert history in InfluxDB cannot be read just now; try again shortly');
        throw error;
      }
    },
  );
}
