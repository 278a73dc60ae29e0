/**
 * Who may call what: the contract every route declares and api/auth.ts enforces.
 *
 * A route says the least role it needs in its config: `{ config: { access: 'operator' } }`.
 * A route that says nothing needs `viewer`: forgetting to declare a route keeps it closed, it never
 * opens it. `public` is for what must answer without credentials: /healthz and /readyz (probes),
 * the console's static shell and login page (they carry no data; the data comes through /api with
 * the caller's credentials), and POST /api/session (the login itself).
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Access = Role | 'public';

/** viewer reads; operator also acknowledges and silences; admin also reloads and reads the configuration. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 1, operator: 2, admin: 3 };

export function roleAllows(held: Role, needed: Role): boolean {
  return ROLE_RANK[held] >= ROLE_RANK[needed];
}

/** The caller a request was authenticated as: the name is what audit lines and acknowledgements record. */
export interface Identity {
  name: string;
  role: Role;
  /** How it was presented: a bearer token (CLI, scripts, Prometheus) or the console's session cookie. */
  via: 'bearer' | 'session';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role the route needs; viewer when not given. */
    access?: Access;
  }
  interface FastifyRequest {
    /** Set by api/auth.ts before the handler runs on every non-public route; undefined on public ones. */
    identity?: Identity;
  }
}
