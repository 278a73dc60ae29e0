import type { Role } from '../../api/access.js';
import { hashToken, type ApiUser } from '../../api/credentials.js';

/** The token test daemons know as the viewer "test-viewer" (api.users): what tests read the API with. */
export const TEST_VIEWER_TOKEN = 'test-viewer-token-Qm7Ls2Vx9Kd4Rb1Nf6Hw3Tz8';

/** The test viewer as buildApp takes it (ApiDeps.users), for tests that build the API in-process. */
export const TEST_VIEWER: ApiUser = { name: 'test-viewer', role: 'viewer', tokenHash: hashToken(TEST_VIEWER_TOKEN) };

/** A user a test daemon knows besides the test viewer, with the token the test logs in or scrapes with. */
export interface TestUser {
  name: string;
  role: Role;
  token: string;
}

/**
 * The `api:` line of a test daemon's configuration: listening at `listen`, with the test viewer (and
 * `users`) in api.users, and `extra` (e.g. `token: { env: T }`) beside them.
 */
export function apiSection(listen: string, extra?: string, users: readonly TestUser[] = []): string {
  const entry = (u: TestUser) => `{ name: ${u.name}, role: ${u.role}, token_hash: "${hashToken(u.token)}" }`;
  const all = [{ name: 'test-viewer', role: 'viewer' as const, token: TEST_VIEWER_TOKEN }, ...users].map(entry).join(', ');
  return `api: { listen: "${listen}", users: [${all}]${extra ? `, ${extra}` : ''} }`;
}

export function bearer(token = TEST_VIEWER_TOKEN): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** fetch with a bearer token: the test viewer's unless another is given. */
export function apiFetch(url: string, init: RequestInit = {}, token = TEST_VIEWER_TOKEN): Promise<Response> {
  return fetch(url, { ...init, headers: { ...bearer(token), ...(init.headers as Record<string, string> | undefined) } });
}

/** GET with a bearer token and the JSON answer (whatever its status: tests look at the body). */
export async function apiJson<T>(url: string, token = TEST_VIEWER_TOKEN): Promise<T> {
  return (await (await apiFetch(url, {}, token)).json()) as T;
}
