import { api } from './api.js';
import type { Alert, Incident } from './types.js';

const RETRY_MS = 5000;

/** What the overview shows, kept current from GET /api/stream. */
export interface LiveState {
  alerts: Map<string, Alert>;
  incidents: Map<string, Incident>;
}

export interface LiveHandlers {
  changed(state: LiveState, fresh: Alert[]): void;
  connection(up: boolean): void;
}

/**
 * The live stream (server-sent events): a snapshot on every (re)connect replaces what is shown,
 * then each `alert` or `incident` event replaces or removes one. EventSource reconnects by
 * itself; a 401 on reconnect shows as an error the page answers by checking the session.
 * `fresh` lists alerts first seen since the page opened (not those of the first snapshot).
 */
export function followStream(handlers: LiveHandlers): () => void {
  const state: LiveState = { alerts: new Map(), incidents: new Map() };
  const seen = new Set<string>();
  let first = true;
  let source: EventSource | undefined;
  let retry: number | undefined;
  const parse = <T>(event: Event): T => JSON.parse((event as MessageEvent<string>).data) as T;
  const open = () => {
    source = new EventSource('/api/stream', { withCredentials: true });
    source.addEventListener('open', () => handlers.connection(true));
    source.addEventListener('error', () => {
      handlers.connection(false);
      // EventSource retries by itself after a dropped connection, but gives up on an answer that is
      // not a stream (401 once the session expired, 5xx): ask the API, whose 401 leads to the login, then open again.
      if (source?.readyState !== EventSource.CLOSED) return;
      retry = window.setTimeout(() => void api('/api/health').catch(() => undefined).then(open), RETRY_MS);
    });
    source.addEventListener('snapshot', (event) => {
      const snapshot = parse<{ alerts: Alert[]; incidents: Incident[] }>(event);
      state.alerts = new Map(snapshot.alerts.map((a) => [a.id, a]));
      state.incidents = new Map(snapshot.incidents.map((i) => [i.id, i]));
      const fresh = first ? [] : snapshot.alerts.filter((a) => !seen.has(a.id));
      for (const a of snapshot.alerts) seen.add(a.id);
      first = false;
      handlers.connection(true);
      handlers.changed(state, fresh);
    });
    source.addEventListener('alert', (event) => {
      const alert = parse<Alert>(event);
      if (alert.status === 'resolved') state.alerts.delete(alert.id);
      else state.alerts.set(alert.id, alert);
      const fresh = !seen.has(alert.id) && alert.status !== 'resolved' ? [alert] : [];
      seen.add(alert.id);
      handlers.changed(state, fresh);
    });
    source.addEventListener('incident', (event) => {
      const incident = parse<Incident>(event);
      if (incident.status === 'resolved') state.incidents.delete(incident.id);
      else state.incidents.set(incident.id, incident);
      handlers.changed(state, []);
    });
  };
  open();
  return () => {
    window.clearTimeout(retry);
    source?.close();
  };
}
