import { api } from './api.js';

const STORED = 'roomwatch.name';
let session: Promise<{ name: string; role: string } | undefined> | undefined;

/**
 * Who is logged in (GET /api/session), asked once per page; undefined when the answer did not come
 * (the forms then ask for a name).
 */
export function whoAmI(): Promise<{ name: string; role: string } | undefined> {
  session ??= api<{ name: string; role: string }>('/api/session').catch(() => undefined);
  return session;
}

/**
 * The name forms are prefilled with: the one typed last on this browser, else the session's. A duty
 * shift often shares one token (its name says the role, not the person): the person who typed their
 * name into the last form is more likely the one at the keyboard.
 */
export async function defaultName(): Promise<string> {
  const typed = localStorage.getItem(STORED);
  if (typed) return typed;
  return (await whoAmI())?.name ?? '';
}

export function rememberName(name: string): void {
  if (name) localStorage.setItem(STORED, name);
}
