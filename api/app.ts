import Fastify, { type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Secret } from '../common/config/secret.js';
import { installAudit } from './audit.js';
import { Authenticator, installAuth, type AuthFailure } from './auth.js';
import { Credentials, type ApiUser } from './credentials.js';
import { FailureLimiter } from './failures.js';
import { SessionStore } from './sessions.js';
import { installErrorHandling } from './errors.js';
import { alertsRoutes, type AlertsDeps } from './routes/alerts.js';
import { healthRoutes } from './routes/health.js';
import { incidentsRoutes, type IncidentsDeps } from './routes/incidents.js';
import { reportsRoutes, type ReportsDeps } from './routes/reports.js';
import { sessionRoutes } from './routes/session.js';
import { silencesRoutes, type SilencesDeps } from './routes/silences.js';

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
}

/**
 * The HTTP API (fastify), built here and listened on by the run command, so tests drive it with
 * app.inject. Every route needs credentials for the role it declares (api/access.ts, enforced by
 * api/auth.ts): a bearer token from api.users or api.token, or the console's session cookie.
 * Every write is audited (api/audit.ts).
 */
export function buildApp(deps: ApiDeps): FastifyInstance {
  // Fastify's own request logging stays off: one line per poll of /api/health would drown the log.
  // With TLS fastify makes an https server; the routes and hooks are the same, hence the cast.
  const app = (deps.tls ? Fastify({ logger: false, https: { cert: deps.tls.cert, key: deps.tls.key } }) : Fastify({ logger: false })) as unknown as FastifyInstance;
  installErrorHandling(app, deps.log ?? pino({ level: 'silent' }));
  const now = deps.now ?? Date.now;
  const { sessions, failures } = deps.auth ?? { sessions: new SessionStore(now), failures: new FailureLimiter(now) };
  const auth = new Authenticator({ credentials: new Credentials(deps.users ?? [], deps.token), sessions, failures, secure: deps.tls !== undefined, onAuthFailure: deps.onAuthFailure });
  installAuth(app, auth);
  installAudit(app, deps.auditLog ?? pino({ level: 'silent' }));
  sessionRoutes(app, auth);
  const { incidents } = deps;
  healthRoutes(app, () => (incidents ? { ...deps.health(), open_incidents: incidents.active().length } : deps.health()));
  alertsRoutes(app, deps.alerts);
  if (incidents) incidentsRoutes(app, incidents, deps.alerts);
  if (deps.reports) reportsRoutes(app, deps.reports);
  silencesRoutes(app, deps.silences, deps.now ?? Date.now);
  return app;
}
