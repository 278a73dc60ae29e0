import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mocks/influxd.js';
import { apiFetch } from '../helpers/api-auth.js';
import { daemonTestBed } from '../helpers/daemon-bed.js';
import { eventually, startDaemon } from '../helpers/processes.js';

// The daemon as run: a meter that never answers raises real communication faults, the
// fault_stats job (started with the other components) writes them for today, and the daemon's
// API answers the report.
const { influxd, children, writeConfig } = daemonTestBed();

describe('fault statistics in the running daemon', () => {
  it('writes today\'s fault_stats and answers GET /api/reports/faults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fault-daemon-'));
    const apiPort = await freePort();
    const deadPort = await freePort();
    const file = writeConfig(dir, 'daemon_faults', `  - { id: meter-dead, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${deadPort}, timeout: 200ms, retries: 0 } }\n`, { api: `127.0.0.1:${apiPort}` });
    appendFileSync(file, 'reports: { faults: { stats_interval: 10s } }\n');
    const daemon = startDaemon(file);
    children.push(daemon);
    await daemon.waitFor('roomwatch running');
    const opened = await eventually(async () => {
      const rows = await influxd.query<{ count: number }>('daemon_faults', `SELECT count(alert_id) FROM "events"."alert_events" WHERE event = 'opened' AND fault != 'member'`).catch(() => []);
      return rows[0]?.count;
    }, 40_000, 'a fault in alert_events');
    // Today in Beijing (reports.timezone's default), counted here without the code under test.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const midnight = Date.parse(`${today}T00:00:00+08:00`);
    const stats = await eventually(async () => {
      const rows = await influxd.query<{ time: number; faults: number; category: string }>('daemon_faults', 'SELECT faults, category FROM "events"."fault_stats"').catch(() => []);
      return rows.length && rows.reduce((n, r) => n + r.faults, 0) >= opened ? rows : undefined;
    }, 40_000, 'fault_stats for today');
    expect(stats.every((r) => r.time === midnight && r.category === 'communication')).toBe(true);
    expect((await fetch(`http://127.0.0.1:${apiPort}/api/reports/faults?from=${today}&by=category`)).status).toBe(401);
    const response = await apiFetch(`http://127.0.0.1:${apiPort}/api/reports/faults?from=${today}&by=category`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { current: { faults: number }; breakdowns: { category: Array<{ key: string; faults: number }> } };
    expect(body.current.faults).toBeGreaterThanOrEqual(opened);
    expect(body.breakdowns.category.find((c) => c.key === 'communication')?.faults).toBe(body.current.faults);
  });
});
