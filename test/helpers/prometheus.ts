import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../mocks/influxd.js';
import { Child } from '../../mocks/child.js';
import { eventually } from './processes.js';

export interface PromTarget {
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  /** When the last scrape ran (RFC 3339). */
  lastScrape: string;
  scrapeUrl: string;
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/**
 * Debian's real Prometheus (/usr/bin/prometheus) scraping one target every second with a bearer
 * token read from a file, as an operator would configure it; throw-away storage, loopback only.
 */
export class TestPrometheus {
  readonly #dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
  #child: Child | undefined;
  url = '';

  async start(target: string, token: string): Promise<void> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const tokenFile = join(this.#dir, 'roomwatch.token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const config = join(this.#dir, 'prometheus.yml');
    writeFileSync(
      config,
      `global: { scrape_interval: 1s, scrape_timeout: 1s }
scrape_configs:
  - job_name: roomwatch
    authorization: { type: Bearer, credentials_file: ${tokenFile} }
    static_configs: [{ targets: ["${target}"] }]
`,
    );
    this.#child = new Child('/usr/bin/prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(this.#dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn']);
    await eventually(async () => (await fetch(`${this.url}/-/ready`)).ok, 20_000, `Prometheus ready:\n${this.#child.output}`);
  }

  async targets(): Promise<PromTarget[]> {
    const body = (await (await fetch(`${this.url}/api/v1/targets`)).json()) as { data: { activeTargets: PromTarget[] } };
    return body.data.activeTargets;
  }

  /** Resolves once a scrape that started after `time` (ms) succeeded. */
  async scrapedAfter(time: number): Promise<void> {
    await eventually(async () => {
      const [target] = await this.targets();
      return target?.health === 'up' && Date.parse(target.lastScrape) > time;
    }, 20_000, `a scrape after ${new Date(time).toISOString()}`);
  }

  /** An instant query through Prometheus' HTTP API; the samples of its vector result. */
  async query(expression: string): Promise<PromSample[]> {
    const response = await fetch(`${this.url}/api/v1/query?${new URLSearchParams({ query: expression }).toString()}`);
    const body = (await response.json()) as { status: string; error?: string; data: { resultType: string; result: PromSample[] } };
    if (body.status !== 'success') throw new Error(`query ${expression}: ${body.error}`);
    return body.data.result;
  }

  /** The single value of a query answering one sample, once it answers one (scrapes are every second). */
  async value(expression: string): Promise<number> {
    const [sample] = await eventually(async () => {
      const result = await this.query(expression);
      return result.length === 1 ? result : undefined;
    }, 20_000, `one sample for ${expression}`);
    return Number(sample!.value[1]);
  }

  async destroy(): Promise<void> {
    await this.#child?.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
