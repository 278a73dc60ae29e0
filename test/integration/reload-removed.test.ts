import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { eventually, startDaemon, type Child } from '../helpers/processes.js';
import { MailCatcher } from '../helpers/receivers.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';

// A device that went silent is taken out of the configuration (or its rule disabled) and the
// daemon reloaded with SIGHUP: its alert must not fire forever. Real daemon, real SMTP, real influxd;
// the meters' Modbus ports have nobody listening, so they never answer.
const influxd = new TestInfluxd();
let mail: MailCatcher;
let daemon: Child;
let file = '';
let apiPort = 0;
const ports: Record<string, number> = {};

interface ApiAlert { id: string; rule: string; device: string; status: string; resolution?: { reason: string } }
const alerts = async () => (await apiJson<{ active: ApiAlert[]; recent: ApiAlert[] }>(`http://127.0.0.1:${apiPort}/api/alerts`));
const subjects = () => mail.mails.map((m) => m.subject ?? '');
const recoveriesOf = (device: string) => subjects().filter((s) => s.startsWith('[恢复]') && s.includes(device));

/**
 * The configuration with the given devices (meter-1 in room r1, meter-2 in r2, meter-3 in r1 and
 * routed to nobody) and alerting.rules lines.
 */
function configText(devices: string[], rules = ''): string {
  const room: Record<string, string> = { 'meter-1': 'r1', 'meter-2': 'r2', 'meter-3': 'r1', 'meter-4': 'r2' };
  return `influxdb: { url: "${influxd.url}" }
spool: { dir: spool }
collector: { default_interval: 1s }
${apiSection(`127.0.0.1:${apiPort}`)}
alerting:
  state_dir: alerts
  group_wait: 1s
  receivers:
    - { id: duty-mail, type: email, language: zh-CN, from: roomwatch@example.com, to: [duty@example.com], smtp: { host: 127.0.0.1, port: ${mail.port}, security: none }, timeout: 3s }
  routes:
    - { match: { device: meter-1 }, receivers: [duty-mail] }
    - { match: { device: meter-2 }, receivers: [duty-mail] }
    - { match: { device: meter-4 }, receivers: [duty-mail] }
${rules}
sites: [{ id: s1, rooms: [{ id: r1 }, { id: r2 }] }]
devices:
${devices.map((d) => `  - { id: ${d}, site: s1, room: ${room[d]}, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${ports[d]} } }`).join('\n')}
`;
}

async function reload(text: string): Promise<void> {
  writeFileSync(file, text);
  daemon.output = '';
  daemon.process.kill('SIGHUP');
  await daemon.waitFor('roomwatch running');
}

beforeAll(async () => {
  await influxd.start();
  mail = new MailCatcher(await freePort());
  await mail.start();
  apiPort = await freePort();
  for (const d of ['meter-1', 'meter-2', 'meter-3', 'meter-4']) ports[d] = await freePort();
  file = join(mkdtempSync(join(tmpdir(), 'reload-removed-')), 'roomwatch.yaml');
  writeFileSync(file, configText(['meter-1', 'meter-2', 'meter-3']));
  daemon = startDaemon(file);
  await daemon.waitFor('roomwatch running');
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  await mail?.stop();
  await influxd.destroy();
});

describe('alerts of devices and rules removed by a reload', () => {
  it('resolve at once, as removed, each told once to those told of it, and a never-notified one in silence', async () => {
    // Silent devices: the comms-loss alerts of meter-1 and meter-2 are mailed; meter-3's goes to nobody.
    await eventually(() => ['meter-1', 'meter-2'].every((d) => subjects().some((s) => s.startsWith('[告警]') && s.includes(d))), 20_000, 'the comms-loss mails');
    const lost = await eventually(async () => {
      const active = (await alerts()).active.filter((a) => a.rule === 'device_comms_lost');
      return active.length === 3 ? active : undefined;
    }, 10_000, 'three comms-loss alerts');
    expect(subjects().some((s) => s.includes('meter-3'))).toBe(false);

    // meter-1 and meter-3 leave the configuration; meter-2 stays, its comms-loss rule disabled.
    await reload(configText(['meter-2'], `  rules:
    - { name: device_comms_lost, match: { device: meter-2 }, disabled: true }`));
    const { active, recent } = await alerts();
    expect(active.filter((a) => a.rule === 'device_comms_lost')).toEqual([]);
    const resolved = recent.filter((a) => lost.some((l) => l.id === a.id));
    expect(resolved.map((a) => [a.device, a.status, a.resolution?.reason]).sort()).toEqual([
      ['meter-1', 'resolved', 'removed'],
      ['meter-2', 'resolved', 'removed'],
      ['meter-3', 'resolved', 'removed'],
    ]);
    await eventually(() => recoveriesOf('meter-1').length && recoveriesOf('meter-2').length, 15_000, 'the two recovery mails');

    // A reload with nothing removed resolves nothing again; meter-4's mail, sent after, is the barrier.
    await reload(configText(['meter-2', 'meter-4'], `  rules:
    - { name: device_comms_lost, match: { device: meter-2 }, disabled: true }`));
    await eventually(() => subjects().some((s) => s.startsWith('[告警]') && s.includes('meter-4')), 20_000, 'the meter-4 mail');
    expect([recoveriesOf('meter-1').length, recoveriesOf('meter-2').length, subjects().filter((s) => s.includes('meter-3')).length]).toEqual([1, 1, 0]);

    // The history says the same: one resolved event for each, never-notified meter-3 included.
    const rows = await eventually(async () => {
      const r = await influxd.query<{ alert_id: string; device: string }>('roomwatch', `SELECT alert_id, device FROM events.alert_events WHERE event = 'resolved' AND rule = 'device_comms_lost'`);
      return r.length >= 3 ? r : undefined;
    }, 15_000, 'the resolved alert_events');
    expect(rows.map((r) => r.device).sort()).toEqual(['meter-1', 'meter-2', 'meter-3']);
    expect(new Set(rows.map((r) => r.alert_id))).toEqual(new Set(lost.map((a) => a.id)));
    expect(daemon.alive).toBe(true);
  });
});
