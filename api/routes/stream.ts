import { Type } from '@sinclair/typebox';
import { ERROR_RESPONSES } from '../errors.js';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Incident } from '../../alerting/incidents/incident.js';
import { ChangeTracker } from '../stream-changes.js';
import { viewOf, type AlertsDeps, type AlertView } from './alerts.js';
import type { IncidentsDeps } from './incidents.js';

/** What the stream reads: the same views GET /api/alerts and GET /api/incidents answer with. */
export interface StreamDeps {
  alerts: Pick<AlertsDeps, 'active' | 'alert' | 'display'>;
  incidents?: Pick<IncidentsDeps, 'active' | 'get'>;
  /** Something may have changed (a poll was evaluated, an event was recorded): look now rather than at the next tick. */
  changes?: ChangeSignal;
}

export interface StreamOptions {
  /** How often the views are compared while clients listen: catches what the engine's own ticks change (comms lost, unmutes, settles). */
  checkMs?: number;
  /** How often an idle stream carries a comment, so proxies and browsers keep it open. */
  keepAliveMs?: number;
  /** Bytes a client may leave unread before it is dropped (it reconnects and gets a fresh snapshot). */
  maxBufferedBytes?: number;
  /** The least time between two looks the change signal asks for. */
  minGapMs?: number;
}

const CHECK_MS = 1000;
const KEEP_ALIVE_MS = 15_000;
const MAX_BUFFERED = 1 << 20;
const MIN_GAP_MS = 200;

/** A "look again" signal the composition root raises on the bus's events; the stream coalesces bursts into one look. */
export class ChangeSignal {
  readonly #listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.#listeners) listener();
  }

  listen(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** One server-sent event: `event:` and one `data:` line (JSON has no raw newlines). */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * GET /api/stream (viewer): server-sent events for the console. On connect `snapshot` with the
 * active alerts and incidents, then `alert` and `incident` with each one that changed (resolved
 * ones once, as they left), and a `: keep-alive` comment every 15 s. One comparison serves every
 * client. A client that does not read (its unsent bytes pass maxBufferedBytes) is disconnected
 * rather than let the daemon's memory grow; EventSource reconnects and starts from a new snapshot.
 */
export function streamRoutes(app: FastifyInstance, deps: StreamDeps, options: StreamOptions = {}): void {
  const clients = new Set<ServerResponse>();
  const alerts = new ChangeTracker<AlertView>();
  const incidents = new ChangeTracker<Incident>();
  const maxBuffered = options.maxBufferedBytes ?? MAX_BUFFERED;
  let timer: NodeJS.Timeout | undefined;
  let keepAlive: NodeJS.Timeout | undefined;
  let pending = false;

  const activeAlerts = () => deps.alerts.active().map((a) => viewOf(deps.alerts, a));
  const findAlert = (id: string) => {
    const alert = deps.alerts.alert(id);
    return alert && viewOf(deps.alerts, alert);
  };
  const activeIncidents = () => deps.incidents?.active() ?? [];
  const findIncident = (id: string) => deps.incidents?.get(id);

  const send = (client: ServerResponse, text: string) => {
    // The backlog is measured before writing: the snapshot alone may be large, a growing backlog is a client not reading.
    if (client.writableLength > maxBuffered) {
      drop(client);
      client.destroy();
      return;
    }
    client.write(text);
  };
  const broadcast = (text: string) => {
    for (const client of [...clients]) send(client, text);
  };

  const look = () => {
    pending = false;
    lastLook = Date.now();
    if (!clients.size) return;
    for (const alert of alerts.changes(activeAlerts(), findAlert)) broadcast(frame('alert', alert));
    for (const incident of incidents.changes(activeIncidents(), findIncident)) broadcast(frame('incident', incident));
  };
  // Signals close together (every device's poll, the events they caused) make one look, at most
  // one per minGapMs: a large site polls hundreds of times a second, and each look serializes every active alert.
  let lastLook = 0;
  const soon = () => {
    if (pending || !clients.size) return;
    pending = true;
    setTimeout(look, Math.max(0, lastLook + (options.minGapMs ?? MIN_GAP_MS) - Date.now()));
  };
  const unlisten = deps.changes?.listen(soon);

  const drop = (client: ServerResponse) => {
    if (!clients.delete(client) || clients.size) return;
    clearInterval(timer);
    clearInterval(keepAlive);
    timer = keepAlive = undefined;
  };

  // Writes (acknowledgements, silences) change what clients see: look once they are answered.
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') soon();
    done();
  });
  // Streams never end on their own: closing the server ends them, or close would wait forever.
  app.addHook('preClose', (done) => {
    unlisten?.();
    for (const client of [...clients]) {
      drop(client);
      client.end();
    }
    done();
  });

  app.get(
    '/api/stream',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Live alerts and incidents (server-sent events): snapshot, then alert and incident changes',
        produces: ['text/event-stream'],
        // Answered by hand (hijacked), never serialized: the schema only documents the stream.
        response: { 200: Type.String({ description: 'text/event-stream: event snapshot {alerts, incidents}, then event alert (AlertView) and event incident on every change' }), ...ERROR_RESPONSES } },
    },
    (request, reply) => {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Proxies (nginx) would otherwise hold events back until a buffer fills.
        'x-accel-buffering': 'no',
      });
      if (!clients.size) {
        alerts.reset(activeAlerts());
        incidents.reset(activeIncidents());
        timer = setInterval(look, options.checkMs ?? CHECK_MS);
        keepAlive = setInterval(() => broadcast(': keep-alive\n\n'), options.keepAliveMs ?? KEEP_ALIVE_MS);
      }
      clients.add(raw);
      // The response's close (not the request's, which ends with its empty body) is the client going away.
      raw.on('close', () => drop(raw));
      raw.on('error', () => drop(raw));
      raw.write(`retry: 3000\n\n${frame('snapshot', { alerts: activeAlerts(), incidents: activeIncidents() })}`);
    },
  );
}
