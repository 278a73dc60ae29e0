import Fastify, { type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Alert } from '../alerting/alerts.js';
import type { Secret } from '../common/config/secret.js';
import { installAudit } from './audit.js';
import { Authenticator, installAuth, type AuthFailure } from './auth.js';
import { Credentials, type ApiUser } from './credentials.js';
import { FailureLimiter } from './failures.js';
import { SessionStore } from './sessions.js';
import { installErrorHandling } from './errors.js';
import { installOpenApi, openApiRoute } from './openapi.js';
import type { LoadedConfig } from './redact.js';
import type { Escalation } from './timeline.js';
import { alertDetailRoutes } from './routes/alert-detail.js';
import { alertsRoutes, type AlertsDeps } from './routes/alerts.js';
import type { StorageDeps } from './routes/common.js';
import { configRoutes } from './routes/config.js';
import { consoleRoutes, type ConsoleDirs } from './routes/console.js';
import { devicesRoutes, type InventoryDeps } from './routes/devices.js';
import { healthRoutes } from './routes/health.js';
import { historyRoutes } from './routes/history.js';
import { incidentsRoutes, type IncidentsDeps } from './routes/incidents.js';
import { metricsRoutes } from './routes/metrics.js';
import { probesRoutes } from './routes/probes.js';
import type { DaemonMetrics } from '../common/metrics/daemon-metrics.js';
import type { Readiness } from '../common/metrics/readiness.js';
import { reloadRoutes, type ReloadDeps } from './routes/reload.js';
import { reportsRoutes, type ReportsDeps } from './routes/reports.js';
import { sessionRoutes } from './routes/session.js';
import { silencesRoutes, type SilencesDeps } from './routes/silences.js';
import { sitesRoutes } from './routes/sites.js';
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
  /** Sites, devices and their latest poll: GET /api/sites and /api/devices; without it those routes do not exist. */
  inventory?: InventoryDeps;
  /** InfluxDB: device trends, alert readings and timelines of old alerts, GET /api/history. */
  storage?: StorageDeps;
  /** An alert's route's escalate_after and escalate_to, for its timeline. */
  escalation?: (alert: Alert) => Escalation | undefined;
  /** The running configuration: GET /api/config (admin), secrets hidden. */
  config?: () => LoadedConfig;
  /** POST /api/reload (admin). */
  reload?: ReloadDeps;
  /** The version the OpenAPI document names. */
  version?: string;
  health(): Record<string, unknown>;
  /** The web console's pages and assets (api/routes/console.ts); without it only the API answers. */
  console?: ConsoleDirs;
  /** Raised when alerts may have changed, so GET /api/stream tells at once rather than at its next check. */
  changes?: ChangeSignal;
  /** The legacy api.token: an admin named "api.token" (what the CLI sends). */
  token?: Secret;
  /** api.users: who may call the API, by the hash of their token. */
  users?: readonly ApiUser[];
  /** Served over https with this certificate and key (PEM); the session cookie is then Secure. */
  tls?: { cert: Buffer | string; key: Buffer | string };
  /**
   * Console sessions and the failed-login counts; the daemon keeps them across reloads (the API is
   * rebuilt on each), tests pass theirs to drive the clock. Fresh ones on `now` when not given.
   */
  auth?: { sessions: SessionStore; failures: FailureLimiter };
  /** Called on every request refused as unauthenticated (401, 429), e.g. to count them. */
  onAuthFailure?: (reason: AuthFailure) => void;
  /** Where the audit line of every write goes (component "audit"); silent when not given. */
  auditLog?: Logger;
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
 * app.inject. Every route needs credentials for the role it declares (api/access.ts, enforced by
 * api/auth.ts): a bearer token from api.users or api.token, or the console's session cookie.
 * Every write is audited (api/audit.ts).
 */
export function buildApp(deps: ApiDeps): FastifyInstance {
  // Fastify's own request logging stays off: one line per poll of /api/health would drown the log.
  // A key the schema does not name is refused (400 "unknown key"), not silently dropped: a misspelt filter must not answer everything.
  const options = { logger: false, ajv: { customOptions: { removeAdditional: false as const } } };
  // With TLS fastify makes an https server; the routes and hooks are the same, hence the cast.
  const app = (deps.tls ? Fastify({ ...options, https: { cert: deps.tls.cert, key: deps.tls.key } }) : Fastify(options)) as unknown as FastifyInstance;
  installErrorHandling(app, deps.log ?? pino({ level: 'silent' }));
  const now = deps.now ?? Date.now;
  const { sessions, failures } = deps.auth ?? { sessions: new SessionStore(now), failures: new FailureLimiter(now) };
  const auth = new Authenticator({ credentials: new Credentials(deps.users ?? [], deps.token), sessions, failures, secure: deps.tls !== undefined, onAuthFailure: deps.onAuthFailure });
  installAuth(app, auth);
  installAudit(app, deps.auditLog ?? pino({ level: 'silent' }));
  installOpenApi(app, deps.version ?? '0.0.0');
  // Every route inside this plugin, registered after swagger's, so /openapi.json lists each one.
  void app.register((api, _options, done) => {
    const { incidents, inventory, storage } = deps;
    openApiRoute(api);
    sessionRoutes(api, auth);
    healthRoutes(api, () => (incidents ? { ...deps.health(), open_incidents: incidents.active().length } : deps.health()));
    alertsRoutes(api, deps.alerts);
    if (storage) alertDetailRoutes(api, deps.alerts, { storage, devices: () => inventory?.devices() ?? [], escalation: deps.escalation });
    if (incidents) incidentsRoutes(api, incidents, deps.alerts);
    if (deps.reports) reportsRoutes(api, deps.reports);
    silencesRoutes(api, deps.silences, deps.now ?? Date.now);
    if (inventory) {
      sitesRoutes(api, inventory, () => deps.alerts.active());
      devicesRoutes(api, inventory, storage);
    }
    if (storage) historyRoutes(api, storage);
    if (deps.config) configRoutes(api, deps.config);
    if (deps.reload) reloadRoutes(api, deps.reload);
    if (deps.ready) probesRoutes(api, deps.ready);
    if (deps.metrics) metricsRoutes(api, deps.metrics);
    streamRoutes(api, { alerts: deps.alerts, incidents, changes: deps.changes });
    const dirs = deps.console;
    if (dirs) void api.register((scope) => consoleRoutes(scope, dirs));
    done();
  });
  return app;
}
