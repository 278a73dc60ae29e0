import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { seededRandom } from '../../mocks/sim/noise.js';
import { Child, CLI } from './processes.js';

/** One JSON log line of the daemon (pino). */
export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/**
 * The real daemon (`roomwatch run`) as a child whose every log line is kept and parsed: a chaos
 * test counts polls from them, which a tail of the output (processes.ts's Child) would lose.
 * `killHard` is SIGKILL: no handler runs, nothing is flushed.
 */
export class WatchedDaemon {
  readonly lines: LogLine[] = [];
  readonly process: ChildProcess;
  readonly #exited: Promise<void>;

  constructor(config: string, env: Record<string, string> = {}) {
    this.process = spawn(process.execPath, [CLI, 'run', '--config', config], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.process.stdout!, this.process.stderr!]) {
      createInterface({ input: stream }).on('line', (text) => {
        try {
          this.lines.push(JSON.parse(text) as LogLine);
        } catch {
          this.lines.push({ level: 60, msg: text });
        }
      });
    }
    this.#exited = new Promise((resolve) => this.process.once('exit', () => resolve()));
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Polls the daemon logged as done: device, the poll's timestamp, and when it was handed to the sink. */
  polls(): Array<{ device: string; time: number; loggedAt: number; ok: boolean }> {
    return this.lines.filter((l) => l.msg === 'poll done').map((l) => ({ device: l.device as string, time: l.polled_at as number, loggedAt: l.time as number, ok: l.ok as boolean }));
  }

  async waitFor(msg: string | ((line: LogLine) => boolean), timeoutMs = 20_000): Promise<LogLine> {
    const test = typeof msg === 'string' ? (l: LogLine) => l.msg === msg : msg;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(test);
      if (found) return found;
      if (!this.alive) throw new Error(`daemon exited before logging ${String(msg)}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(msg)}:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Errors and crashes (level ≥ 50), other than those a test expects. */
  errors(expected: RegExp = /$^/): LogLine[] {
    return this.lines.filter((l) => l.level >= 50 && !expected.test(l.msg));
  }

  tail(n = 30): string {
    return this.lines.slice(-n).map((l) => JSON.stringify(l)).join('\n');
  }

  /** SIGTERM; if the daemon has not exited within `timeoutMs` it is killed and false returned. */
  async stop(timeoutMs = 20_000): Promise<boolean> {
    if (!this.alive) return true;
    this.process.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const clean = await Promise.race([this.#exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))]);
    clearTimeout(timer);
    if (!clean) await this.killHard();
    return clean;
  }

  async killHard(): Promise<void> {
    if (this.alive) this.process.kill('SIGKILL');
    await this.#exited;
  }
}

/** `roomwatch mock --room FILE --control-port P`: the simulated room as its own process. */
export async function startMock(room: string, controlPort: number, env: Record<string, string> = {}, seed = 7): Promise<Child> {
  const mock = new Child(process.execPath, [CLI, 'mock', '--room', room, '--control-port', String(controlPort), '--seed', String(seed)], env);
  await mock.waitFor('simulator ready', 30_000);
  return mock;
}

/** The simulator's control endpoint: inject or clear a fault. */
export async function fault(controlPort: number, action: 'inject' | 'clear', fault: string, target: string): Promise<void> {
  const url = `http://127.0.0.1:${controlPort}/faults`;
  const response =
    action === 'inject'
      ? await fetch(url, { method: 'POST', body: JSON.stringify({ fault, target }) })
      : await fetch(`${url}?fault=${fault}&target=${target}`, { method: 'DELETE' });
  if (response.status >= 400 && !(action === 'clear' && response.status === 404)) throw new Error(`control ${action} ${fault} ${target}: ${response.status} ${await response.text()}`);
}

/** A small deterministic generator (mulberry32), so a failing chaos run can be replayed by its seed. */
export const seeded = seededRandom;

/** The summary line every chaos test prints, copied into docs/reliability.md. */
export function printFigures(test: string, figures: Record<string, unknown>): void {
  process.stdout.write(`chaos-figures ${JSON.stringify({ test, ...figures })}\n`);
}

/** What a receiver got: the notification key (Idempotency-Key) and the body. */
export interface Delivery {
  path: string;
  key: string;
  body: unknown;
}

/**
 * A loopback HTTP receiver (Alertmanager webhook, WeCom robot) that can be slowed down: it
 * records a request as delivered when the body has arrived, then answers after `delayMs`, so a
 * daemon killed in between has sent a message it never learns was delivered.
 */
export class SlowHook {
  readonly deliveries: Delivery[] = [];
  delayMs = 0;
  /** Only requests to this path are slowed down (all when undefined). */
  slowPath: string | undefined;
  pending = 0;
  port = 0;
  readonly #server: Server;

  constructor() {
    this.#server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        const key = request.headers['idempotency-key'];
        const path = new URL(request.url ?? '/', 'http://localhost').pathname;
        this.deliveries.push({ path, key: typeof key === 'string' ? key : '', body: JSON.parse(text) as unknown });
        const delayMs = this.slowPath === undefined || this.slowPath === path ? this.delayMs : 0;
        this.pending++;
        setTimeout(() => {
          this.pending--;
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
        }, delayMs);
      });
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', () => {
      this.port = (this.#server.address() as { port: number }).port;
      resolve();
    }));
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** The alert journal as records; a torn last line (SIGKILL mid-write) is skipped, as the daemon does. */
export function readJournal(file: string): Array<Record<string, unknown> & { t: string }> {
  if (!existsSync(file)) return [];
  const records = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as Record<string, unknown> & { t: string });
    } catch {
      // torn tail
    }
  }
  return records;
}

/** Points in the spool's segment files, as "measurement|device|time" keys. */
export function spooledPoints(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const keys: string[] = [];
  for (const name of readdirSync(dir).filter((n) => /^\d{16}-\d+\.ndjson$/.test(n))) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const point = JSON.parse(line) as { m: string; t: Record<string, string>; ts: number };
      keys.push(`${point.m}|${point.t.device ?? ''}|${point.ts}`);
    }
  }
  return keys;
}
