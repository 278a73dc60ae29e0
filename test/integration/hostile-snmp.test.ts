import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BadDatagramLog } from '../../collector/drivers/snmp/bad-datagrams.js';
import { SnmpClient, SnmpTransportError } from '../../collector/drivers/snmp/client.js';
import { Semaphore } from '../../collector/drivers/semaphore.js';
import { Secret } from '../../common/config/secret.js';
import { freePort } from '../../mocks/influxd.js';
import { daemonTestBed } from '../helpers/daemon-bed.js';
import { communityMessage, integer, PDU, v3Message } from '../helpers/ber.js';
import { craftedSnmpAgent } from '../helpers/garbage.js';
import { eventually, ROOT, sleep, startDaemon, startModbusSlave, type Child } from '../helpers/processes.js';
import { apiJson } from '../helpers/api-auth.js';

// Hostile SNMP peers against the real daemon: each crafted agent answers every request with one
// kind of reply that net-snmp either rejects or (before the guard in drivers/snmp/guard.ts)
// threw on outside any listener, which ended the process.
const { influxd, children, closers, writeConfig } = daemonTestBed();

const UPTIME = '1.3.6.1.2.1.1.3.0';

/** One crafted reply per kind of hostility; each is answered to every request of its agent. */
const HOSTILE: Record<string, Parameters<typeof craftedSnmpAgent>[0]> = {
  // The drill's killer: a Report PDU (0xa8) in a v2c reply.
  report: (r) => [communityMessage(r.version, r.community!, PDU.Report, r.requestId, [[UPTIME, integer(1)]])],
  // A v3 header with the auth flag, carrying the v2c request's id as msgID.
  'v3-auth': (r) => [v3Message(r.requestId, 1, 'someone', PDU.GetResponse, r.requestId)],
  // The same with auth and privacy.
  'v3-priv': (r) => [v3Message(r.requestId, 3, 'someone', PDU.GetResponse, r.requestId)],
  // A well-formed reply cut short.
  truncated: (r) => {
    const reply = communityMessage(r.version, r.community!, PDU.GetResponse, r.requestId, r.oids.map((o) => [o, integer(5)]));
    return [reply.subarray(0, reply.length - 4)];
  },
  // The outer SEQUENCE claims more bytes than follow; then one whose varbind list claims fewer.
  'wrong-lengths': (r) => {
    const reply = Buffer.from(communityMessage(r.version, r.community!, PDU.GetResponse, r.requestId, r.oids.map((o) => [o, integer(5)])));
    const short = Buffer.from(reply);
    reply[1] = reply[1]! + 20;
    short[short.length - 3] = 0;
    return [reply, short];
  },
  // Trap PDUs (v2 and v1) sent to the client's port with the request's id.
  traps: (r) => [
    communityMessage(r.version, r.community!, PDU.TrapV2, r.requestId, [['1.3.6.1.6.3.1.1.4.1.0', integer(1)]]),
    communityMessage(0, r.community!, PDU.TrapV1, r.requestId, []),
  ],
  // Every request PDU type and an unknown tag in place of GetResponse.
  'pdu-flips': (r) => [PDU.GetRequest, PDU.GetNext, PDU.SetRequest, PDU.GetBulk, PDU.Inform, 0xa9, 0xbf].map((t) => communityMessage(r.version, r.community!, t, r.requestId, [[UPTIME, integer(1)]])),
  // Error status and index outside their ranges.
  'bad-error-index': (r) => [communityMessage(r.version, r.community!, PDU.GetResponse, r.requestId, [[UPTIME, integer(1)]], 99, 1000)],
  // 200 datagrams of noise per request.
  flood: () => Array.from({ length: 200 }, (_, i) => Buffer.from(`noise ${i} \x00\xff`)),
};

/** Rejects when the daemon exits, with its last output: the failure these tests guard against. */
function exitOf(daemon: Child): Promise<never> {
  const exited = new Promise<never>((_, reject) => daemon.process.once('exit', (code, signal) => reject(new Error(`the daemon exited (${code ?? signal}):\n${daemon.output.slice(-3000)}`))));
  exited.catch(() => undefined);
  return exited;
}

function config(dir: string, database: string, apiPort: number, trapPort: number, devices: string): string {
  return writeConfig(dir, database, devices, { api: `127.0.0.1:${apiPort}`, traps: `127.0.0.1:${trapPort}` });
}

describe('hostile SNMP peers', () => {
  it('a crafted reply of any kind marks only its device down; the daemon and the other devices carry on', async () => {
    const modbusPort = await freePort();
    children.push(await startModbusSlave(join(ROOT, 'test', 'fixtures', 'sdm630-small.json'), 'tcp', { port: modbusPort }));
    const agents: Record<string, Awaited<ReturnType<typeof craftedSnmpAgent>>> = {};
    let devices = `  - { id: meter-ok, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${modbusPort}, timeout: 500ms } }\n`;
    for (const [kind, answer] of Object.entries(HOSTILE)) {
      const agent = await craftedSnmpAgent(answer);
      closers.push(agent.close);
      agents[kind] = agent;
      devices += `  - { id: ups-${kind}, site: site-a, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: ${agent.port}, community: public, timeout: 300ms, retries: 0 } }\n`;
    }
    // SNMPv1 takes the same path through net-snmp; one v1 device gets the Report too.
    const v1 = await craftedSnmpAgent(HOSTILE.report!);
    closers.push(v1.close);
    agents['report-v1'] = v1;
    devices += `  - { id: ups-report-v1, site: site-a, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: ${v1.port}, version: "1", community: public, timeout: 300ms, retries: 0 } }\n`;
    // An SNMPv3 agent answering only Reports with engine boots and time 0: net-snmp re-sends on
    // each, so without a limit the request bounced forever and the device's poll never ended.
    const reportLoop = await craftedSnmpAgent((r) => [v3Message(r.requestId, 0, '', PDU.Report, r.requestId, { boots: 0, time: 0 })]);
    closers.push(reportLoop.close);
    agents['v3-report-loop'] = reportLoop;
    devices += `  - { id: ups-v3-report-loop, site: site-a, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: ${reportLoop.port}, version: "3", user: monitor, security_level: authPriv, auth_protocol: sha, auth_key: auth-key-1, priv_protocol: aes, priv_key: priv-key-1, timeout: 300ms, retries: 0 } }\n`;
    const apiPort = await freePort();
    const trapPort = await freePort();
    const daemon = startDaemon(config(mkdtempSync(join(tmpdir(), 'hostile-snmp-')), 'hostile_snmp', apiPort, trapPort, devices));
    children.push(daemon);
    await daemon.waitFor('roomwatch running');

    await Promise.race([eventually(() => Object.values(agents).every((a) => a.received() >= 3), 30_000, 'three polls of every hostile agent'), exitOf(daemon)]);
    expect(daemon.alive).toBe(true);

    const health = await eventually(async () => {
      const rows = await influxd.query<{ device: string; comms: number; error: string | null }>('hostile_snmp', `SELECT last(comms) AS comms FROM device_health GROUP BY device`);
      return rows.length === Object.keys(agents).length + 1 ? rows : undefined;
    }, 20_000, 'health of every device');
    const comms = Object.fromEntries(health.map((r) => [r.device, r.comms]));
    expect(comms).toEqual({ 'meter-ok': 1, ...Object.fromEntries(Object.keys(agents).map((k) => [`ups-${k}`, 0])) });

    const errors = Object.fromEntries(
      (await influxd.query<{ device: string; error: string }>('hostile_snmp', `SELECT last(error) AS error FROM device_health GROUP BY device`)).map((r) => [r.device, r.error]),
    );
    // The Report fails its poll at once, with what the agent sent, instead of hanging the poll.
    expect(errors['ups-report']).toContain('SNMPv2c Report PDU (0xa8)');
    expect(errors['ups-report-v1']).toContain('SNMPv1 Report PDU (0xa8)');
    expect(errors['ups-v3-auth']).toMatch(/unusable reply, SNMPv3 GetResponse PDU \(0xa2\)/);
    expect(errors['ups-pdu-flips']).toMatch(/Unknown PDU type/);
    expect(errors['ups-traps']).toMatch(/Unknown PDU type '167'/);
    expect(errors['ups-v3-report-loop']).toMatch(/answers every request with an SNMPv3 Report/);
    // Each poll costs that agent a bounded number of datagrams (a discovery plus a few Reports per request).
    expect(reportLoop.received()).toBeLessThan(100 * Math.max(1, agents.report!.received()));
    for (const kind of ['truncated', 'wrong-lengths', 'flood']) expect(errors[`ups-${kind}`]).toMatch(/timed out/);

    // The good meter is still polled, and answering, after all of it.
    const after = Date.now();
    await eventually(async () => (await influxd.query('hostile_snmp', `SELECT comms FROM device_health WHERE device = 'meter-ok' AND comms = 1 AND time > ${after}ms`)).length >= 2, 10_000, 'two more polls of the good meter');

    // 200 noise datagrams per poll from the flood agent: counted, logged once (the first), not 200 times a poll.
    const api = (await apiJson<{ snmp_bad_datagrams: Record<string, number> }>(`http://127.0.0.1:${apiPort}/api/health`));
    expect(api.snmp_bad_datagrams[`127.0.0.1:${agents.flood!.port}`]).toBeGreaterThanOrEqual(400);
    const badLines = daemon.output.split('\n').filter((l) => l.includes('bad SNMP datagram ignored'));
    expect(badLines.filter((l) => l.includes(`127.0.0.1:${agents.flood!.port}`))).toHaveLength(1);
    expect(daemon.alive).toBe(true);
    expect(await daemon.stop()).toBe(0);
  });

  it('the trap receiver survives crafted notifications and counts them per sender', async () => {
    const apiPort = await freePort();
    const trapPort = await freePort();
    const modbusPort = await freePort();
    children.push(await startModbusSlave(join(ROOT, 'test', 'fixtures', 'sdm630-small.json'), 'tcp', { port: modbusPort }));
    const daemon = startDaemon(
      config(mkdtempSync(join(tmpdir(), 'hostile-traps-')), 'hostile_traps', apiPort, trapPort, `  - { id: meter-ok, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${modbusPort}, timeout: 500ms } }
  - { id: ups-1, site: site-a, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: 9, community: trap-community, timeout: 300ms, retries: 0 } }
`),
    );
    children.push(daemon);
    await daemon.waitFor('roomwatch running');
    const good = communityMessage(1, 'trap-community', PDU.TrapV2, 7, [['1.3.6.1.2.1.1.3.0', integer(1)], ['1.3.6.1.6.3.1.1.4.1.0', integer(1)]]);
    const crafted = [
      Buffer.from('not snmp at all'),
      good.subarray(0, good.length - 3),
      communityMessage(1, 'trap-community', PDU.Report, 7, []),
      communityMessage(1, 'trap-community', PDU.GetResponse, 7, []),
      communityMessage(1, 'trap-community', PDU.GetRequest, 7, []),
      communityMessage(1, 'wrong-community', PDU.TrapV2, 7, []),
      communityMessage(1, 'trap-community', PDU.Inform, 7, []),
      communityMessage(0, 'trap-community', PDU.TrapV1, 7, []),
      v3Message(9, 4, 'nobody', PDU.GetRequest, 9),
      v3Message(9, 5, 'nobody', PDU.TrapV2, 9),
      v3Message(9, 7, '', PDU.Inform, 9),
      v3Message(9, 0, '', PDU.GetRequest, 9),
    ];
    const sender = createSocket('udp4');
    const started = Date.now();
    const exited = exitOf(daemon);
    for (let round = 0; round < 50; round++) {
      for (const datagram of crafted) sender.send(datagram, trapPort, '127.0.0.1');
      await Promise.race([sleep(10), exited]);
    }
    await Promise.race([sleep(1000), exited]);
    sender.close();
    expect(daemon.alive).toBe(true);
    const api = (await apiJson<{ traps: { unknown_senders: number; rejected_by_sender: Record<string, number> } }>(`http://127.0.0.1:${apiPort}/api/health`));
    expect(api.traps.unknown_senders).toBeGreaterThan(50);
    expect(api.traps.rejected_by_sender['127.0.0.1']).toBe(api.traps.unknown_senders);
    // Hundreds of rejections, one line (the first): the rest wait for the per-minute summary.
    expect(daemon.output.split('\n').filter((l) => l.includes('SNMP notification rejected'))).toHaveLength(1);
    // Polling went on meanwhile.
    await eventually(async () => (await influxd.query('hostile_traps', `SELECT comms FROM device_health WHERE device = 'meter-ok' AND comms = 1 AND time > ${started}ms`)).length >= 2, 10_000, 'polls of the good meter');
    expect(await daemon.stop()).toBe(0);
    expect(daemon.output).toMatch(/SNMP notification rejected \(summary\)/);
  });

  it('10,000 garbage datagrams to one client: every one counted, one log line', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const log = pino({ level: 'trace' }, sink);
    const badDatagrams = new BadDatagramLog(log, 'bad SNMP datagram ignored');
    let clientPort = 0;
    // The "agent" learns the client's port from its request, never answers it, and sends garbage.
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const agentPort = probe.address().port;
    probe.on('message', (_msg, rinfo) => (clientPort = rinfo.port));
    const client = new SnmpClient(
      { host: '127.0.0.1', port: agentPort, version: '2c', community: new Secret('public'), timeoutMs: 60_000, retries: 0, maxConcurrency: 1, maxOidsPerRequest: 8, maxRepetitions: 10 },
      new Semaphore(1),
      log,
      badDatagrams,
    );
    const pending = client.get([UPTIME]).catch((error: unknown) => error);
    await eventually(() => clientPort > 0, 5000, 'the client to send its request');
    const key = `127.0.0.1:${agentPort}`;
    let sent = 0;
    while (sent < 10_000) {
      // Paced so that no datagram is lost to a full socket buffer: the count must be exact.
      for (let i = 0; i < 100; i++, sent++) probe.send(Buffer.from([0x30, 0x82, 0x7f, 0xff, 0x02, 0x01, sent & 0xff]), clientPort, '127.0.0.1');
      const deadline = Date.now() + 10_000;
      while ((badDatagrams.totals()[key] ?? 0) < sent && Date.now() < deadline) await sleep(2);
    }
    client.close();
    expect(await pending).toBeInstanceOf(SnmpTransportError);
    probe.close();
    expect(badDatagrams.totals()[key]).toBe(10_000);
    const badLines = lines.filter((l) => l.includes('bad SNMP datagram ignored'));
    expect(badLines).toHaveLength(1);
    badDatagrams.flush();
    const summary = JSON.parse(lines.filter((l) => l.includes('bad SNMP datagram ignored')).at(-1)!) as { count: number; total: number; peer: string };
    expect(summary).toMatchObject({ count: 9_999, total: 10_000, peer: key });
  });
});
