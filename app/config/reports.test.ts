import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { formatIssue } from '../../common/config/yaml-source.js';

const BASE = `
sites: [{ id: hz, rooms: [{ id: r1 }] }]
devices:
  - { id: th-1, site: hz, room: r1, template: th-sensor-modbus, modbus: { transport: tcp, host: 10.0.0.9, unit_id: 1 } }
alerting:
  receivers:
    - { id: duty-mail, type: email, smtp: { host: 127.0.0.1, port: 25 }, from: rw@example.org, to: [duty@example.org] }
    - { id: duty-hook, type: webhook, url: "http://127.0.0.1:9/hook" }
`;

function load(extra: string, options: Parameters<typeof loadConfig>[2] = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'roomwatch-reports-'));
  writeFileSync(join(dir, 'roomwatch.yaml'), BASE + extra);
  return loadConfig(join(dir, 'roomwatch.yaml'), {}, options);
}

describe('reports and dashboards configuration', () => {
  it('defaults: Beijing time, limits per severity, on-demand inspection, the datasource at influxdb.url', () => {
    const result = load('');
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    const { reports, dashboards } = result.config;
    expect(reports.timezone).toBe('Asia/Shanghai');
    expect(reports.faults.resolveWithinMs.critical).toBe(4 * 3600_000);
    expect(reports.faults.acknowledgeWithinMs.major).toBe(30 * 60_000);
    expect(reports.inspection.at).toBeUndefined();
    expect(reports.inspection.outDir).toMatch(/roomwatch-reports-.*\/data\/reports$/);
    expect(dashboards.datasource).toEqual({ name: 'roomwatch InfluxDB', uid: 'roomwatch-influxdb', url: 'http://127.0.0.1:8086' });
  });

  it('refuses an unknown time zone, a bad time of day, and receivers that do not exist or do not mail, each at its line', () => {
    const result = load(`reports:
  timezone: Asia/Shanghia
  inspection: { at: "8:30", receivers: [duty-mail, nobody, duty-hook] }
`);
    expect(result.ok).toBe(false);
    const text = result.ok ? '' : result.issues.map(formatIssue).join('\n');
    expect(text).toMatch(/roomwatch\.yaml:11:\d+: reports\.inspection\.at: /);
    // The schema error stops the load before the cross-checks; these run on a schema-valid file.
    const second = load(`reports:
  timezone: Asia/Shanghia
  inspection: { at: "08:30", receivers: [duty-mail, nobody, duty-hook] }
`);
    const issues = second.ok ? [] : second.issues.map(formatIssue);
    expect(issues).toEqual([
      expect.stringMatching(/roomwatch\.yaml:\d+:\d+: reports\.timezone: unknown time zone "Asia\/Shanghia"/),
      expect.stringMatching(/roomwatch\.yaml:\d+:\d+: reports\.inspection\.receivers\[1\]: no alerting receiver named "nobody"/),
      expect.stringMatching(/roomwatch\.yaml:\d+:\d+: reports\.inspection\.receivers\[2\]: receiver "duty-hook" is webhook; the inspection report is mailed/),
    ]);
  });

  it('a report command loads a configuration whose API token variable is not set: it never serves the API', () => {
    const extra = 'api: { token: { env: ROOMWATCH_TEST_UNSET_TOKEN } }\n';
    const daemon = load(extra);
    expect(daemon.ok ? [] : daemon.issues.map(formatIssue)).toEqual([expect.stringMatching(/api\.token: environment variable ROOMWATCH_TEST_UNSET_TOKEN is not set/)]);
    const report = load(extra, { apiToken: false });
    expect(report.ok && report.config.api.token).toBe(undefined);
    expect(report.ok).toBe(true);
  });
});
