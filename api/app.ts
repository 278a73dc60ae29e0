import Fastify, { type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Secret } from '../common/config/secret.js';
import { installWriteAuth } from './auth.js';
import { installErrorHandling } from './errors.js';
import { alertsRoutes, type AlertsDeps } from './routes/alerts.js';
import { consoleRoutes, type ConsoleDirs } from './routes/console.js';
import { healthRoutes } from './routes/health.js';
import { incidentsRoutes, type IncidentsDeps } from './routes/incidents.js';
import { metricsRoutes } from './routes/metrics.js';
import { probesRoutes } from './routes/probes.js';
import type { DaemonMetrics } from '../common/metrics/daemon-metrics.js';
import type { Readiness } from '../common/metrics/readiness.js';
import { reportsRoutes, type ReportsDeps } from './routes/reports.js';
import { silencesRoutes, type SilencesDeps } from './routes/silences.js';
import { streamRoutes, type ChangeSignal } from './routes/stream.js';

export interface ApiDeps {
  silences: SilencesDeps;
  alerts: AlertsDeps;
  /**
   * Incidents (alerting/incidents): when given, /api/incidents answers and /api/health counts
   * `open_incidents`; without it those routes do not exist (404 NOT_FOUND, "no route").
   */
  incidents?: IncidentsDeps;
  /** Fault statistics from the alert history: GET /api/reports/faults; without it the route does not exist. */
  reports?: ReportsDeps;
  health(): Record<string, unknown>;
  /** The web console's pages and assets (api/routes/console.ts); without it only the API answers. */
  console?: ConsoleDirs;
  /** Raised when alerts may have changed, so GET /api/stream tells at once rather than at its next check. */
  changes?: ChangeSignal;
  token?: Secret;
  /** The clock silences are checked against (tests pass their own). */
  now?: () => number;
  /** Where failed requests (5xx) are logged with their request id; silent when not given. */
  log?: Logger;
  /** GET /readyz's decision (common/metrics/readiness.ts); /healthz and /readyz exist only with it. */
  ready?: () => Readiness;
  /** GET /metrics (Prometheus); without it the route does not exist. */
  metrics?: DaemonMetrics;
}

/**
 * The HTTP API (fastify), built here and listened on by the run command, so tests drive it with
 * app.inject. Reads (every GET: alerts, incidents, silences, health) are open on the bind address
 * (loopback by default), as the links in messages must open without a token; writes need
 * `Authorization: Bearer <api.token>` (api/auth.ts), and are refused when no token is configured.
 */
export function buildApp(deps: ApiDeps): FastifyInstance {
  // Fastify's own request logging stays off: one line per poll of /api/health would drown the log.
  const app = Fastify({ logger: false });
  installErrorHandling(app, deps.log ?? pino({ level: 'silent' }));
  installWriteAuth(app, deps.token);
  const { incidents } = deps;
  healthRoutes(app, () => (incidents ? { ...deps.health(), open_incidents: incidents.active().length } : deps.health()));
  alertsRoutes(app, deps.alerts);
  if (incidents) incidentsRoutes(app, incidents, deps.alerts);
  if (deps.reports) reportsRoutes(app, deps.reports);
  silencesRoutes(app, deps.silences, deps.now ?? Date.now);
  if (deps.ready) probesRoutes(app, deps.ready);
  if (deps.metrics) metricsRoutes(app, deps.metrics);
  streamRoutes(app, { alerts: deps.alerts, incidents, changes: deps.changes });
  const dirs = deps.console;
  if (dirs) void app.register((scope) => consoleRoutes(scope, dirs));
  return app;
}
