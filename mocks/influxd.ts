import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Finds a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real influxd (Debian's influxdb 1.x) on loopback with its own data directory, for tests,
 * benchmarks and the demo (never a fake). stop()/start() keep the data, so tests can stage an
 * outage. Ports are free ones unless given.
 */
export class TestInfluxd {
  readonly dir: string;
  constructor(dir?: string, port = 0) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'roomwatch-influxd-'));
    this.port = port;
  }
  #process: ChildProcess | undefined;
  port: number;

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const rpcPort = await freePort();
    mkdirSync(this.dir, { recursive: true });
    const config = join(this.dir, 'influxdb.conf');
    writeFileSync(
      config,
      [
        'reporting-enabled = false',
        `bind-address = "127.0.0.1:${rpcPort}"`,
        '[meta]',
        `  dir = "${this.dir}/meta"`,
        '[data]',
        `  dir = "${this.dir}/data"`,
        `  wal-dir = "${this.dir}/wal"`,
        '  query-log-enabled = false',
        '[monitor]',
        '  store-enabled = false',
        '[http]',
        `  bind-address = "127.0.0.1:${this.port}"`,
        '  log-enabled = false',
        '[continuous_queries]',
        '  log-enabled = false',
        '',
      ].join('\n'),
    );
    this.#process = spawn('influxd', ['-config', config], { stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${this.url}/ping`);
        if (response.status === 204) return;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`influxd did not answer on ${this.url} within 20 s`);
  }

  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async query<T = Record<string, unknown>>(database: string, q: string): Promise<T[]> {
    const response = await fetch(`${this.url}/query?db=${encodeURIComponent(database)}&epoch=ms&q=${encodeURIComponent(q)}`);
    const body = (await response.json()) as { results: Array<{ series?: Array<{ columns: string[]; values: unknown[][]; tags?: Record<string, string> }>; error?: string }> };
    const result = body.results[0];
    if (result?.error) throw new Error(result.error);
    const rows: T[] = [];
    for (const series of result?.series ?? []) {
      for (const values of series.values) {
        const row: Record<string, unknown> = { ...series.tags };
        series.columns.forEach((column, i) => (row[column] = values[i]));
        rows.push(row as T);
      }
    }
    return rows;
  }

  /**
   * Writes line protocol, retrying for a few seconds while influxd says the database or retention
   * policy is not found: on a loaded machine a write straight after CREATE has met that (seen in CI
   * runs of the report tests), though CREATE had answered.
   */
  async write(database: string, lines: readonly string[], options: { rp?: string; precision?: 'ms' | 'ns' } = {}): Promise<void> {
    const params = new URLSearchParams({ db: database, ...(options.rp ? { rp: options.rp } : {}), ...(options.precision ? { precision: options.precision } : {}) });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const response = await fetch(`${this.url}/write?${params.toString()}`, { method: 'POST', body: lines.join('\n') });
      if (response.status === 204) return;
      const text = await response.text();
      if (Date.now() > deadline || !/(retention policy|database) not found/.test(text)) throw new Error(`write to ${database}: ${response.status} ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
