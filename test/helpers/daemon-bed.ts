import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { TestInfluxd } from '../../mocks/influxd.js';
import { apiSection } from './api-auth.js';
import type { Child } from './processes.js';

export interface DaemonConfigOptions {
  logLevel?: string;
  /** `api.listen`; an ephemeral port unless a test must know it in advance. */
  api?: string;
  /** `traps.listen`; no trap listener when absent. */
  traps?: string;
}

/**
 * What a test file running the real daemon needs: one influxd for the file, and the child
 * processes and servers it starts, all stopped after the file's tests (killed, since a hung
 * daemon is exactly what some of these tests look for).
 */
export function daemonTestBed() {
  const influxd = new TestInfluxd();
  const children: Child[] = [];
  const closers: Array<() => unknown> = [];
  beforeAll(() => influxd.start());
  afterAll(async () => {
    for (const child of children) await child.stop('SIGKILL');
    for (const close of closers) await close();
    await influxd.destroy();
  });

  /** Writes `roomwatch.yaml` (one site, one room, polls every second, the test viewer in api.users) into `dir` and returns its path. */
  function writeConfig(dir: string, database: string, devices: string, options: DaemonConfigOptions = {}): string {
    const file = join(dir, 'roomwatch.yaml');
    writeFileSync(
      file,
      `log_level: ${options.logLevel ?? 'info'}
influxdb: { url: "${influxd.url}", database: ${database}, flush_interval: 200ms }
spool: { dir: spool }
${apiSection(options.api ?? '127.0.0.1:0')}
${options.traps ? `traps: { listen: "${options.traps}" }\n` : ''}collector: { default_interval: 1s }
sites:
  - id: site-a
    rooms: [{ id: room-1 }]
devices:
${devices}`,
    );
    return file;
  }

  return { influxd, children, closers, writeConfig };
}
