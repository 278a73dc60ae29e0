import { get, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../alerting/alerts.js';
import type { Incident } from '../../alerting/incidents/incident.js';
import { bearer, TEST_VIEWER } from '../../test/helpers/api-auth.js';
import { buildApp } from '../app.js';
import { ChangeSignal, streamRoutes } from './stream.js';

function alert(id: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id, key: `k-${id}`, rule: 'water_leak', severity: 'critical', summary: { en: 'Water leak detected', 'zh-CN': '检测到漏水' }, source: 'config',
    device: 'leak-1', labels: {}, status: 'firing', flapping: false, value: 1, threshold: '= 1', measurement: 'leak', field: 'leak_detected',
    firingSince: 1_700_000_000_000, notes: [], tiers: [], ...overrides,
  };
}

/** The engine's side as the stream reads it: lists the test changes between looks. */
function world() {
  const active = new Map<string, Alert>();
  const resolved = new Map<string, Alert>();
  const incidents: Incident[] = [];
  const deps = {
    active: () => [...active.values()],
    recent: () => [...resolved.values()],
    alert: (id: string) => active.get(id) ?? resolved.get(id),
    acknowledge: () => ({ error: 'not here' }),
  };
  return { active, resolved, incidents, deps };
}

/** Reads server-sent events from a live listener, as EventSource would (with the test viewer's token: the stream needs a viewer). */
async function listen(url: string) {
  const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, { headers: bearer() }, resolve).on('error', reject));
  let buffer = '';
  let ended = false;
  let wake: (() => void) | undefined;
  response.setEncoding('utf8');
  response.on('data', (text: string) => {
    buffer += text;
    wake?.();
  });
  response.on('close', () => {
    ended = true;
    wake?.();
  });
  const frames: string[] = [];
  const next = async (): Promise<string> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        frames.push(frame);
        return frame;
      }
      if (ended) throw new Error('stream ended');
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  /** The next event of this name (data parsed), skipping others and comments. */
  const event = async <T>(name: string): Promise<T> => {
    for (;;) {
      const frame = await next();
      const match = new RegExp(`^event: ${name}\\ndata: (.*)$`, 's').exec(frame);
      if (match) return JSON.parse(match[1]!) as T;
    }
  };
  return { headers: response.headers, next, event, frames, close: () => response.destroy() };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function started(instance: FastifyInstance): Promise<string> {
  app = instance;
  await instance.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(instance.server.address() as AddressInfo).port}/api/stream`;
}

describe('GET /api/stream', () => {
  it('sends a snapshot, then each alert that opened, changed or resolved, once', async () => {
    const w = world();
    w.active.set('aaaaaaaaa1', alert('aaaaaaaaa1'));
    const changes = new ChangeSignal();
    const url = await started(buildApp({ alerts: w.deps, silences: { list: () => [], add: () => { throw new Error('no'); }, expire: () => false }, health: () => ({}), changes, users: [TEST_VIEWER] }));
    // The stream carries every alert: nobody reads it without credentials.
    expect((await fetch(url)).status).toBe(401);
    const stream = await listen(url);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const snapshot = await stream.event<{ alerts: Alert[]; incidents: Incident[] }>('snapshot');
    expect(snapshot.alerts.map((a) => a.id)).toEqual(['aaaaaaaaa1']);
    expect(snapshot.incidents).toEqual([]);

    w.active.set('bbbbbbbbb2', alert('bbbbbbbbb2', { severity: 'major' }));
    changes.notify();
    expect(await stream.event<Alert>('alert')).toMatchObject({ id: 'bbbbbbbbb2', status: 'firing', severity: 'major' });

    w.active.set('aaaaaaaaa1', alert('aaaaaaaaa1', { status: 'acknowledged', ack: { by: '张工', at: 1, note: '已派人处理' } }));
    changes.notify();
    expect(await stream.event<Alert>('alert')).toMatchObject({ id: 'aaaaaaaaa1', status: 'acknowledged', ack: { by: '张工', note: '已派人处理' } });

    const gone = w.active.get('bbbbbbbbb2')!;
    w.active.delete('bbbbbbbbb2');
    w.resolved.set('bbbbbbbbb2', { ...gone, status: 'resolved', resolvedAt: 2 });
    changes.notify();
    expect(await stream.event<Alert>('alert')).toMatchObject({ id: 'bbbbbbbbb2', status: 'resolved' });
    // Each look sends only what changed: one frame per change above, none for the alert that stayed as it was.
    w.active.set('ccccccccc3', alert('ccccccccc3'));
    changes.notify();
    expect((await stream.event<Alert>('alert')).id).toBe('ccccccccc3');
    const alertFrames = stream.frames.filter((f) => f.startsWith('event: alert'));
    expect(alertFrames).toHaveLength(4);
    stream.close();
  });

  it('sees changes made by the engine on its own (ticks) at its periodic look, and keeps idle streams alive', async () => {
    const w = world();
    const instance = Fastify();
    streamRoutes(instance, { alerts: w.deps, incidents: { active: () => w.incidents, get: (id) => w.incidents.find((i) => i.id === id) } }, { checkMs: 20, keepAliveMs: 30 });
    const stream = await listen(await started(instance));
    await stream.event('snapshot');
    expect(await stream.next()).toBe(': keep-alive');
    w.incidents.push({
      id: '7c1e09ab42', type: 'mains_failure', scope: { level: 'room', site: 's', room: 'r' }, severity: 'critical', category: 'power',
      summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'open', openedAt: 1, members: [], notes: [], tiers: [],
    });
    expect(await stream.event<Incident>('incident')).toMatchObject({ id: '7c1e09ab42', status: 'open' });
    stream.close();
  });

  it('drops a client that stops reading instead of buffering for it without end', async () => {
    const w = world();
    const changes = new ChangeSignal();
    const instance = Fastify();
    streamRoutes(instance, { alerts: w.deps, changes }, { maxBufferedBytes: 64 * 1024, checkMs: 60_000, keepAliveMs: 60_000, minGapMs: 0 });
    const url = new URL(await started(instance));
    // A raw connection that sends the request and then never reads a byte.
    const socket = connect(Number(url.port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(`GET /api/stream HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    socket.pause();
    const connections = () => new Promise<number>((resolve, reject) => instance.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
    await new Promise((resolve) => socket.once('connect', resolve));
    let sent = 0;
    // Each change is a 100 kB alert: the kernel's socket buffers fill, then the daemon's backlog passes the limit and it lets go.
    while ((await connections()) > 0 && sent < 2000) {
      w.active.set('aaaaaaaaa1', alert('aaaaaaaaa1', { summary: { en: `${sent} ${'x'.repeat(100_000)}`, 'zh-CN': '漏水' } }));
      changes.notify();
      sent++;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await connections()).toBe(0);
    socket.destroy();
    // The stream carries on for others: a new client gets its snapshot.
    const next = await listen(url.toString());
    expect((await next.event<{ alerts: Alert[] }>('snapshot')).alerts).toHaveLength(1);
    next.close();
  });

  it('lets the server close while streams are open', async () => {
    const w = world();
    const instance = Fastify();
    streamRoutes(instance, { alerts: w.deps });
    const stream = await listen(await started(instance));
    await stream.event('snapshot');
    await instance.close();
    app = undefined;
    await expect(stream.next()).rejects.toThrow('stream ended');
  });
});
