import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { eventually, startDaemon, type Child } from '../helpers/processes.js';

const influxd = new TestInfluxd();
let daemon: Child;
let file = '';
let apiPort = 0;

const health = async () => (await (await fetch(`http://127.0.0.1:${apiPort}/api/health`)).json()) as { config_reload_rejected: boolean };
const active = async () => ((await (await fetch(`http://127.0.0.1:${apiPort}/api/alerts`)).json()) as { active: Array<{ rule: string; device: string }> }).active;

beforeAll(async () => {
  await influxd.start();
  apiPort = await freePort();
  file = join(mkdtempSync(join(tmpdir(), 'reload-')), 'roomwatch.yaml');
  writeFileSync(
    file,
    `influxdb: { url: "${influxd.url}" }
spool: { dir: spool }
alerting: { state_dir: alerts }
api: { listen: "127.0.0.1:${apiPort}" }
sites: [{ id: s1, rooms: [{ id: r1 }] }]
devices:
  - { id: meter-1, site: s1, room: r1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${await freePort()} } }
`,
  );
  daemon = startDaemon(file);
  await daemon.waitFor('roomwatch running');
});
afterAll(async () => {
  await daemon?.stop();
  await influxd.destroy();
});

describe('configuration reload (SIGHUP)', () => {
  it('refuses a broken configuration, keeps running, and raises config_reload_rejected', async () => {
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('template: sdm630', 'template: sdm999'));
    daemon.process.kill('SIGHUP');
    await daemon.waitFor('configuration reload rejected');
    expect(daemon.output).toContain('unknown template \\"sdm999\\"');
    expect((await health()).config_reload_rejected).toBe(true);
    await eventually(async () => (await active()).some((a) => a.rule === 'config_reload_rejected' && a.device === 'roomwatch'), 5000, 'the self-alert');

    writeFileSync(file, `${good}  - { id: meter-2, site: s1, room: r1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${await freePort()} } }\n`);
    daemon.process.kill('SIGHUP');
    await daemon.waitFor(/"devices":2[^\n]*roomwatch running/);
    expect((await health()).config_reload_rejected).toBe(false);
    await eventually(async () => !(await active()).some((a) => a.rule === 'config_reload_rejected'), 5000, 'the self-alert to resolve');
    expect(daemon.alive).toBe(true);
  });
});
