import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { mutateModbusReply, takeFrames, type Framing } from './fuzz-modbus.js';
import type { FuzzRandom } from './fuzz-random.js';
import { mutateSnmpReply } from './fuzz-snmp.js';

/**
 * How a fuzzing proxy treats the replies it relays:
 * - sane: passes every reply through untouched;
 * - hostile: replaces every reply with a burst of mutated ones (no genuine byte gets through, so
 *   the device must be marked down);
 * - mixed: mutated replies, duplicates and stale copies of the genuine one, then (sometimes) the
 *   genuine reply itself.
 */
export type ProxyMode = 'sane' | 'hostile' | 'mixed';

export interface ProxyOptions {
  random: FuzzRandom;
  /** Mutated replies sent in place of one genuine reply. */
  burst: number;
  /** Range of the "delayed" kind's delay; make it longer than the client's timeout. */
  delayMs: readonly [number, number];
}

/** Mutated replies sent, per kind: what the chaos tests assert on and print as figures. */
export class MutationCounts {
  readonly byKind: Record<string, number> = {};
  genuine = 0;
  requests = 0;

  add(kind: string, n = 1): void {
    this.byKind[kind] = (this.byKind[kind] ?? 0) + n;
  }

  get total(): number {
    return Object.values(this.byKind).reduce((sum, n) => sum + n, 0);
  }
}

/**
 * A UDP proxy between an SNMP manager (the daemon) and an agent: requests pass through
 * unchanged, replies are mutated according to the mode. Each manager socket gets its own
 * upstream socket, so replies find their way back.
 */
export class SnmpFuzzProxy {
  mode: ProxyMode = 'sane';
  readonly counts = new MutationCounts();
  readonly #listener: UdpSocket = createSocket('udp4');
  readonly #upstreams = new Map<string, UdpSocket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(private readonly upstreamPort: number, private readonly options: ProxyOptions) {}

  start(): Promise<number> {
    this.#listener.on('message', (request, client) => this.#forward(request, client));
    this.#listener.on('error', () => undefined);
    return new Promise((resolve) => this.#listener.bind(0, '127.0.0.1', () => resolve(this.#listener.address().port)));
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    for (const socket of [this.#listener, ...this.#upstreams.values()]) socket.close();
  }

  #forward(request: Buffer, client: RemoteInfo): void {
    const key = `${client.address}:${client.port}`;
    let upstream = this.#upstreams.get(key);
    if (!upstream) {
      upstream = createSocket('udp4');
      upstream.on('error', () => undefined);
      upstream.on('message', (reply) => this.#reply(reply, client));
      upstream.bind(0, '127.0.0.1');
      this.#upstreams.set(key, upstream);
    }
    this.counts.requests++;
    upstream.send(request, this.upstreamPort, '127.0.0.1');
  }

  #reply(reply: Buffer, client: RemoteInfo): void {
    if (this.mode === 'sane') {
      this.counts.genuine++;
      this.#send(reply, client, 0);
      return;
    }
    const { random, burst } = this.options;
    const mixed = this.mode === 'mixed';
    const n = mixed ? Math.max(1, Math.round(burst / 2)) : burst;
    for (let i = 0; i < n; i++) {
      const mutation = mutateSnmpReply(reply, random, { genuineRepeats: mixed, delayMs: this.options.delayMs });
      this.counts.add(mutation.kind, mutation.datagrams.length);
      for (const datagram of mutation.datagrams) this.#send(datagram.bytes, client, datagram.delayMs);
    }
    if (mixed && random.chance(0.5)) {
      this.counts.genuine++;
      this.#send(reply, client, 0);
    }
  }

  #send(bytes: Buffer, client: RemoteInfo, delayMs: number): void {
    const send = () => {
      if (!this.#closed) this.#listener.send(bytes, client.port, client.address);
    };
    if (!delayMs) return send();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      send();
    }, delayMs);
    this.#timers.add(timer);
  }
}

/**
 * A TCP proxy in front of a Modbus TCP slave (MBAP framing) or an RTU-over-TCP gateway (CRC
 * framing): requests pass through, each reply frame is mutated according to the mode. Resets
 * tear down both sides, as a flaky gateway does.
 */
export class ModbusFuzzProxy {
  mode: ProxyMode = 'sane';
  readonly counts = new MutationCounts();
  connections = 0;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(private readonly upstreamPort: number, private readonly framing: Framing, private readonly options: ProxyOptions) {
    this.#server = createServer((client) => this.#accept(client));
  }

  start(): Promise<number> {
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve((this.#server.address() as { port: number }).port)));
  }

  close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    this.connections++;
    const upstream = connect(this.upstreamPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.#sockets.delete(socket);
        // Either side gone: the other goes too, so no half-open pair outlives its peer.
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (request) => {
      this.counts.requests++;
      upstream.write(request);
    });
    let pending: Buffer = Buffer.alloc(0);
    upstream.on('data', (data) => {
      const { frames, rest } = takeFrames(Buffer.concat([pending, data]), this.framing);
      pending = rest;
      for (const frame of frames) this.#reply(frame, client, upstream);
    });
  }

  #reply(reply: Buffer, client: Socket, upstream: Socket): void {
    if (this.mode === 'sane') {
      this.counts.genuine++;
      client.write(reply);
      return;
    }
    const { random, burst } = this.options;
    const mixed = this.mode === 'mixed';
    const n = mixed ? Math.max(1, Math.round(burst / 2)) : burst;
    for (let i = 0; i < n; i++) {
      if (client.destroyed) return;
      // Only the first answer of a burst may be a reset: a reset ends the burst.
      const mutation = mutateModbusReply(reply, this.framing, random, { genuineRepeats: mixed, delayMs: this.options.delayMs, allowReset: i === 0 });
      if (mutation.reset) {
        this.counts.add(mutation.kind);
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      this.counts.add(mutation.kind, mutation.chunks.length && mutation.kind !== 'split' ? mutation.chunks.length : 1);
      let at = 0;
      for (const chunk of mutation.chunks) {
        at += chunk.delayMs;
        this.#write(client, chunk.bytes, at);
      }
    }
    if (mixed && random.chance(0.5)) {
      this.counts.genuine++;
      client.write(reply);
    }
  }

  #write(client: Socket, bytes: Buffer, delayMs: number): void {
    const write = () => {
      if (!client.destroyed) client.write(bytes);
    };
    if (!delayMs) return write();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      write();
    }, delayMs);
    this.#timers.add(timer);
  }
}
