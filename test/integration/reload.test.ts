import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { eventually, startDaemon, type Child } from '../helpers/processes.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';

const influxd = new TestInfluxd();
let daemon: Child;
let file = '';
let apiPort = 0;

const health = async () => (await apiJson<{ config_reload_rejected: boolean }>(`http://127.0.0.1:${apiPort}/api/health`));
const active = async () => ((await apiJson<{ active: Array<{ rule: string; device: string }> }>(`http://127.0.0.1:${apiPort}/api/alerts`))).active;

beforeAll(async () => {
  await influxd.start();
  apiPort = await freePort();
  file = join(mkdtempSync(join(tmpdir(), 'reload-')), 'roomwatch.yaml');
  writeFileSync(
    file,
    `influxdb: { url: "${influxd.url}" }
spool: { dir: spool }
collector: { default_interval: 1s }
alerting: { state_dir: alerts }
${apiSection(`127.0.0.1:${apiPort}`)}
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

  it('refuses an emptied configuration and one moving the spool, journal or API; polling and the API carry on', async () => {
    const good = readFileSync(file, 'utf8');
    const dir = dirname(file);
    const otherPort = await freePort();
    const moved = good
      .replace('spool: { dir: spool }', 'spool: { dir: spool-2 }')
      .replace('alerting: { state_dir: alerts }', 'alerting: { state_dir: alerts-2 }')
      .replace(`127.0.0.1:${apiPort}`, `127.0.0.1:${otherPort}`);
    const cases: Array<[string, string, string[]]> = [
      ['emptied by mistake', '# emptied by mistake\n', ['no devices']],
      ['moved', moved, [`spool.dir: ${join(dir, 'spool')} → ${join(dir, 'spool-2')}`, 'alerting.state_dir: ', `api.listen: 127.0.0.1:${apiPort} → 127.0.0.1:${otherPort}`]],
    ];
    for (const [what, text, expected] of cases) {
      daemon.output = '';
      writeFileSync(file, text);
      const rejectedAt = Date.now();
      daemon.process.kill('SIGHUP');
      await daemon.waitFor('configuration reload rejected');
      for (const part of expected) expect(daemon.output, what).toContain(part);
      // The API is still where it was, and says so; the self-alert is raised.
      expect((await health()).config_reload_rejected).toBe(true);
      await eventually(async () => (await active()).some((a) => a.rule === 'config_reload_rejected'), 5000, `the self-alert (${what})`);
      // Polling goes on with the previous configuration: both meters still report their health.
      await eventually(
        async () => (await influxd.query<{ device: string }>('roomwatch', `SELECT last(comms) FROM device_health WHERE time > ${rejectedAt}ms GROUP BY device`)).length === 2,
        10_000,
        `polls after the rejected reload (${what})`,
      );
    }
    expect(existsSync(join(dir, 'spool-2')) || existsSync(join(dir, 'alerts-2'))).toBe(false);
    writeFileSync(file, good);
    daemon.output = '';
    daemon.process.kill('SIGHUP');
    await daemon.waitFor('roomwatch running');
    expect((await health()).config_reload_rejected).toBe(false);
    expect(daemon.alive).toBe(true);
  });

  it('survives SIGHUPs arriving while a reload is under way', async () => {
    daemon.output = '';
    // The kernel merges a signal that is already pending, so two of these may arrive as one; the
    // second one to arrive lands while the first reload is running.
    daemon.process.kill('SIGHUP');
    daemon.process.kill('SIGHUP');
    await daemon.waitFor('reloading configuration');
    daemon.process.kill('SIGHUP');
    await daemon.waitFor(/roomwatch running[\s\S]*roomwatch running/, 30_000);
    // A third reload may still be under way (closing and reopening the API), so ask until it answers.
    await eventually(async () => (await health().catch(() => undefined))?.config_reload_rejected === false, 10_000, 'the API after the reloads');
    expect(daemon.alive).toBe(true);
  });
});
