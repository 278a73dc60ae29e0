import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mocks/influxd.js';
import { apiFetch, apiJson, apiSection } from '../helpers/api-auth.js';
import { daemonTestBed } from '../helpers/daemon-bed.js';
import { eventually, ROOT, startDaemon, startModbusSlave } from '../helpers/processes.js';

// The real daemon: a meter answering (pymodbus) and one nobody answers for, seen through the API
// from the poll events; then POST /api/reload refusing a broken file, refusing a moved listener,
// and reloading a sound one through the same path as SIGHUP.
const { influxd, children } = daemonTestBed();
const TOKEN = 'reload-token-61c0e2a9';

interface Device {
  id: string;
  status: string;
  lastError?: string;
  readings: Array<{ field: string; tags?: Record<string, string>; value: number | string | null; unit?: string }>;
}

describe('the API of the running daemon', () => {
  it('shows devices up with readings and down with their error, and reloads on POST /api/reload', async () => {
    const modbusPort = await freePort();
    const closedPort = await freePort();
    children.push(await startModbusSlave(join(ROOT, 'test', 'fixtures', 'sdm630-small.json'), 'tcp', { port: modbusPort }));
    const apiPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'api-daemon-'));
    const file = join(dir, 'roomwatch.yaml');
    const write = (devices: string, listen = `127.0.0.1:${apiPort}`) =>
      writeFileSync(
        file,
        `influxdb: { url: "${influxd.url}", database: api_daemon, flush_interval: 200ms }
spool: { dir: spool }
alerting: { state_dir: alerts }
${apiSection(listen, `token: "${TOKEN}"`)}
collector: { default_interval: 1s }
sites:
  - id: site-a
    name: 一号园区
    rooms: [{ id: room-1, name: 主机房 }]
devices:
${devices}`,
      );
    const meterOk = `  - { id: meter-ok, name: 进线电表, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${modbusPort}, timeout: 500ms } }\n`;
    const meterGone = `  - { id: meter-gone, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${closedPort}, timeout: 300ms, retries: 0 } }\n`;
    write(meterOk + meterGone);
    const daemon = startDaemon(file);
    children.push(daemon);
    await daemon.waitFor('roomwatch running');
    const base = `http://127.0.0.1:${apiPort}`;
    // Reads as the test viewer (api.users); the reload as api.token, the admin.
    const devices = () => apiJson<Device[]>(`${base}/api/devices`);

    const seen = await eventually(async () => {
      const list = await devices();
      return list.every((d) => d.status !== 'unknown') ? list : undefined;
    }, 20_000, 'both devices polled');
    const [ok, gone] = seen;
    expect(ok).toMatchObject({ id: 'meter-ok', status: 'up' });
    expect(ok!.readings.filter((r) => r.field === 'voltage').map((r) => [r.tags?.phase, r.value, r.unit])).toEqual([['1', 231, 'V'], ['2', 229.5, 'V'], ['3', 230.5, 'V']]);
    expect(gone).toMatchObject({ id: 'meter-gone', status: 'down', readings: [] });
    expect(gone!.lastError).toMatch(/ECONNREFUSED|refused|connect/i);
    const sites = await apiJson<Array<{ rooms: Array<{ devices: number; down: number }> }>>(`${base}/api/sites`);
    expect(sites[0]!.rooms[0]).toMatchObject({ devices: 2, down: 1 });

    const post = () => apiFetch(`${base}/api/reload`, { method: 'POST' }, TOKEN);
    // Reloading is the admin's: a viewer is refused before the file is even read.
    expect((await apiFetch(`${base}/api/reload`, { method: 'POST' })).status).toBe(403);
    // A broken file: refused with where the problem is, and the daemon carries on with the old one.
    write(meterOk + `  - { id: meter-x, site: site-a, room: room-1, template: no-such-template, modbus: { transport: tcp, host: 127.0.0.1, port: ${modbusPort} } }\n`);
    const invalid = await post();
    expect(invalid.status).toBe(400);
    const invalidBody = (await invalid.json()) as { code: string; problems: string[] };
    expect(invalidBody.code).toBe('CONFIG_INVALID');
    expect(invalidBody.problems.some((p) => p.startsWith(`${file}:`) && p.includes('no-such-template'))).toBe(true);
    // A moved listener needs a restart.
    write(meterOk, `127.0.0.1:${await freePort()}`);
    const moved = await post();
    expect(moved.status).toBe(409);
    expect(((await moved.json()) as { code: string }).code).toBe('RESTART_REQUIRED');
    expect((await devices()).map((d) => d.id)).toEqual(['meter-ok', 'meter-gone']);

    // A sound file: 202, then the daemon reloads it as on SIGHUP; the removed device is gone, the new one polled.
    write(meterOk.replace('进线电表', '进线总表'));
    const accepted = await post();
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ reloading: true });
    await daemon.waitFor('reloading configuration');
    const reloaded = await eventually(async () => {
      const list = await devices().catch(() => undefined);
      return list?.length === 1 && list[0]!.status === 'up' ? list : undefined;
    }, 20_000, 'the reloaded device list');
    expect(reloaded[0]).toMatchObject({ id: 'meter-ok', name: '进线总表', status: 'up' });
    expect(daemon.output).toContain('"by":"POST /api/reload"');
    expect(daemon.alive).toBe(true);
    expect(await daemon.stop()).toBe(0);
  });
});
