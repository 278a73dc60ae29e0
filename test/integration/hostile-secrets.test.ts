import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { communityMessage, integer, PDU, v3Message } from '../helpers/ber.js';
import { craftedSnmpAgent } from '../helpers/garbage.js';
import { eventually, runCli, startDaemon, type Child } from '../helpers/processes.js';
import { MailCatcher } from '../helpers/receivers.js';

// Every credential roomwatch is given, with values distinctive enough that finding one anywhere
// means it leaked. The daemon runs at trace level against peers that provoke credential errors.
const SECRETS = {
  community: 'cmty-Zq81-alpha',
  otherCommunity: 'cmty-Zq81-bravo',
  authKey: 'authkey-Zq81-charlie',
  privKey: 'privkey-Zq81-delta',
  influxPassword: 'influxpw-Zq81-echo',
  smtpPassword: 'smtppw-Zq81-foxtrot',
  apiToken: 'apitoken-Zq81-golf',
  webhookUrl: 'hook-Zq81-hotel',
  dingSecret: 'dingsecret-Zq81-india',
};

const influxd = new TestInfluxd();
const closers: Array<() => unknown> = [];
let daemon: Child | undefined;

beforeAll(() => influxd.start());
afterAll(async () => {
  await daemon?.stop('SIGKILL');
  for (const close of closers) await close();
  await influxd.destroy();
});

function leaks(text: string): string[] {
  return Object.entries(SECRETS).filter(([, value]) => text.includes(value)).map(([name]) => name);
}

describe('secrets never leave roomwatch', () => {
  it('appear in no log line, InfluxDB value, API response or probe output, while the errors still say what went wrong', async () => {
    // Answers with another configured device's community: net-snmp's mismatch error quotes both.
    const mismatch = await craftedSnmpAgent((r) => [communityMessage(r.version, SECRETS.otherCommunity, PDU.GetResponse, r.requestId, r.oids.map((o) => [o, integer(1)]))]);
    // Answers the other device with yet another community, not a configured one.
    const stranger = await craftedSnmpAgent((r) => [communityMessage(r.version, 'not-configured', PDU.GetResponse, r.requestId, r.oids.map((o) => [o, integer(1)]))]);
    // An SNMPv3 "agent" whose replies fail authentication and decryption.
    const v3 = await craftedSnmpAgent((r) => [v3Message(r.requestId, 3, 'monitor', PDU.GetResponse, r.requestId), v3Message(r.requestId, 1, 'monitor', PDU.Report, r.requestId)]);
    closers.push(mismatch.close, stranger.close, v3.close);
    const mail = new MailCatcher(await freePort());
    await mail.start();
    closers.push(() => mail.stop());
    const apiPort = await freePort();
    const trapPort = await freePort();
    const closedPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'hostile-secrets-'));
    const file = join(dir, 'roomwatch.yaml');
    writeFileSync(
      file,
      `log_level: trace
influxdb: { url: "${influxd.url}", database: secrets, username: roomwatch, password: { env: RW_INFLUX_PASSWORD }, flush_interval: 200ms }
spool: { dir: spool }
api: { listen: "127.0.0.1:${apiPort}", token: { env: RW_API_TOKEN } }
traps: { listen: "127.0.0.1:${trapPort}" }
collector: { default_interval: 1s }
alerting:
  state_dir: alerts
  group_wait: 1s
  comms_lost_polls: 1
  receivers:
    - { id: mail, type: email, language: en, from: roomwatch@example.com, to: [duty@example.com], smtp: { host: 127.0.0.1, port: ${mail.port}, security: none, username: roomwatch, password: ${SECRETS.smtpPassword} }, timeout: 2s }
    - { id: hook, type: webhook, url: "http://127.0.0.1:${closedPort}/${SECRETS.webhookUrl}", timeout: 1s }
    - { id: ding, type: dingtalk, url: "http://127.0.0.1:${closedPort}/robot", secret: ${SECRETS.dingSecret}, timeout: 1s }
  routes:
    - { receivers: [mail, hook, ding] }
sites:
  - id: site-a
    rooms: [{ id: room-1 }]
devices:
  - { id: ups-mismatch, site: site-a, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: ${mismatch.port}, community: { env: RW_COMMUNITY }, timeout: 300ms, retries: 0 } }
  - { id: ups-stranger, site: site-a, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: ${stranger.port}, community: ${SECRETS.otherCommunity}, timeout: 300ms, retries: 0 } }
  - { id: ups-v3, site: site-a, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: ${v3.port}, version: "3", user: monitor, security_level: authPriv, auth_protocol: sha, auth_key: ${SECRETS.authKey}, priv_protocol: aes, priv_key: ${SECRETS.privKey}, timeout: 300ms, retries: 0 } }
`,
    );
    daemon = startDaemon(file, { RW_INFLUX_PASSWORD: SECRETS.influxPassword, RW_API_TOKEN: SECRETS.apiToken, RW_COMMUNITY: SECRETS.community });
    // Child keeps only the recent output; this keeps all of it.
    let output = '';
    daemon.process.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    daemon.process.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await daemon.waitFor('roomwatch running');
    // Sent with the api token, so the log, the audit lines and the answers are searched for it too.
    const api = async (path: string, init?: RequestInit) =>
      (await fetch(`http://127.0.0.1:${apiPort}${path}`, { ...init, headers: { authorization: `Bearer ${SECRETS.apiToken}`, ...(init?.headers as Record<string, string> | undefined) } })).text();

    // Polls fail, alerts fire, notifications are attempted (and fail); a trap with a configured
    // community and one with an unknown community arrive (Net-SNMP's snmptrap).
    for (const community of [SECRETS.community, 'unknown-community']) {
      await promisify(execFile)('snmptrap', ['-v', '2c', '-c', community, `127.0.0.1:${trapPort}`, '', '1.3.6.1.2.1.33.2.1'], { env: { ...process.env, MIBS: '' } });
    }
    await eventually(async () => (JSON.parse(await api('/api/alerts')) as { active: unknown[] }).active.length >= 3, 20_000, 'comms alerts for the three devices');
    await daemon.waitFor('notification not delivered', 20_000);
    const errors = await eventually(async () => {
      const rows = await influxd.query<{ device: string; error: string }>('secrets', 'SELECT last(error) AS error FROM device_health GROUP BY device');
      return rows.length === 3 ? Object.fromEntries(rows.map((r) => [r.device, r.error])) : undefined;
    }, 20_000, 'an error per device');

    // The comms-lost alert says what went wrong (the collector's scrubbed error), in its context readings.
    const alerts = JSON.parse(await api('/api/alerts')) as { active: Array<{ rule: string; device: string; context?: Array<{ field: string; value: unknown }> }> };
    const commsContext = (device: string) => alerts.active.find((a) => a.rule === 'device_comms_lost' && a.device === device)?.context ?? [];
    const responses = [
      await api('/api/health'),
      await api('/api/alerts'),
      await api('/api/silences'),
      await api('/api/silences', { method: 'POST', headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' }, body: '{"matchers":{"device":"x"},"ends":"2030-01-01T00:00:00Z","author":"a","reason":"r"}' }),
    ];
    const probes = [
      await runCli(['probe', '--template', 'ups-rfc1628', '--host', '127.0.0.1', '--port', String(mismatch.port), '--timeout', '500ms'], { ROOMWATCH_SNMP_COMMUNITY: SECRETS.community }),
      await runCli(['probe', '--template', 'ups-rfc1628', '--host', '127.0.0.1', '--port', String(v3.port), '--snmp-version', '3', '--user', 'monitor', '--timeout', '500ms'], { ROOMWATCH_SNMP_AUTH_KEY: SECRETS.authKey, ROOMWATCH_SNMP_PRIV_KEY: SECRETS.privKey }),
      await runCli(['validate', '--config', file], { RW_INFLUX_PASSWORD: SECRETS.influxPassword, RW_API_TOKEN: SECRETS.apiToken, RW_COMMUNITY: SECRETS.community }),
    ];

    expect(await daemon.stop()).toBe(0);
    daemon = undefined;
    // Every series of every measurement, in both retention policies, as InfluxDB returns it.
    const stored = [
      await (await fetch(`${influxd.url}/query?db=secrets&q=${encodeURIComponent('SELECT * FROM /.*/')}`)).text(),
      await (await fetch(`${influxd.url}/query?db=secrets&q=${encodeURIComponent('SELECT * FROM "long_term"./.*/')}`)).text(),
      await (await fetch(`${influxd.url}/query?db=secrets&q=${encodeURIComponent('SHOW TAG VALUES WITH KEY =~ /.*/')}`)).text(),
      await (await fetch(`${influxd.url}/query?q=${encodeURIComponent('SHOW CONTINUOUS QUERIES')}`)).text(),
    ];
    expect(stored[0]).toContain('device_health');

    expect({ log: leaks(output), influx: leaks(stored.join('\n')), api: leaks(responses.join('\n')), cli: leaks(probes.map((p) => p.stdout + p.stderr).join('\n')) }).toEqual({ log: [], influx: [], api: [], cli: [] });
    // Scrubbed, and still informative.
    expect(errors['ups-mismatch']).toMatch(/community does not match/);
    for (const device of ['ups-mismatch', 'ups-stranger']) {
      expect(commsContext(device).map((c) => c.field)).toEqual(['error']);
      expect(String(commsContext(device)[0]!.value)).toMatch(/community does not match/);
      expect(leaks(JSON.stringify(commsContext(device)))).toEqual([]);
    }
    expect(errors['ups-stranger']).toMatch(/community does not match/);
    expect(errors['ups-v3']).toMatch(/decrypt|Authentication|unusable reply/);
    expect(probes[0]!.stderr).toMatch(/community does not match/);
    expect(probes[1]!.code).toBe(1);
  });
});
