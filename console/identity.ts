import { api, ApiError } from './api.js';

const STORED = 'roomwatch.name';
let session: Promise<{ name: string; role: string } | undefined> | undefined;

/**
 * Who is logged in (GET /api/session), asked once per page. A daemon without sessions answers
 * 404: then there is no name to offer, and the forms ask for one.
 */
export function whoAmI(): Promise<{ name: string; role: string } | undefined> {
  session ??= api<{ name: string; role: string }>('/api/session').catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  });
  return session;
}

/** The name forms are prefilled with: the session's, else the one typed last time on this browser. */
export async function defaultName(): Promise<string> {
  const who = await whoAmI().catch(() => undefined);
  return who?.name ?? localStorage.getItem(STORED) ?? '';
}

export function rememberName(name: string): void {
  if (name) localStorage.setItem(STORED, name);
}
