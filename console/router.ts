/** The console's pages by path; each page load shows one (links are ordinary navigations). */
export type Route =
  | { page: 'overview' }
  | { page: 'alert'; id: string }
  | { page: 'incident'; id: string }
  | { page: 'room'; site: string; room: string }
  | { page: 'device'; id: string }
  | { page: 'history' }
  | { page: 'silences' }
  | { page: 'login' }
  | { page: 'unknown' };

export function route(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const [first, second, third] = parts;
  if (!first) return { page: 'overview' };
  if (first === 'alerts' && second && parts.length === 2) return { page: 'alert', id: second };
  if (first === 'incidents' && second && parts.length === 2) return { page: 'incident', id: second };
  if (first === 'rooms' && second && third && parts.length === 3) return { page: 'room', site: second, room: third };
  if (first === 'devices' && second && parts.length === 2) return { page: 'device', id: second };
  if (parts.length === 1 && (first === 'history' || first === 'silences' || first === 'login')) return { page: first };
  return { page: 'unknown' };
}

/** Where to go after logging in: only a path on this site, never another origin (`//evil`, `/\\evil`, `https:`). */
export function safeNext(next: string | null): string {
  return next && /^\/(?![/\\])[^\\]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}
