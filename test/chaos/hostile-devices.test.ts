import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/load.js';
import { formatIssue } from '../../common/config/yaml-source.js';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { SimClock } from '../../mocks/sim/clock.js';
import { RoomSimulator } from '../../mocks/sim/room-simulator.js';
import { ModbusFuzzProxy, SnmpFuzzProxy, type ProxyMode } from '../helpers/fuzz-proxy.js';
import { FuzzRandom } from '../helpers/fuzz-random.js';
import { captureTrap, TrapFuzzer } from '../helpers/fuzz-traps.js';
import { eventually, sleep, startDaemon, type Child } from '../helpers/processes.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';

// The real daemon polls a simulated room through fuzzing proxies: SNMP agents and Modbus slaves
// (TCP and an RTU-over-TCP gateway) whose replies are mutated with a seeded PRNG, while garbage
// and untrusted traps hit the trap listener. Three devices are polled directly and must not
// notice. Figures are printed as one `chaos-figures` JSON line.
const SEED = Number(process.env.CHAOS_SEED ?? 7_2026);
const TARGET_MUTATIONS = 10_000;
const INTERVAL_MS = 1000;
const DATABASE = 'chaos';
const FUZZED_SNMP = ['ups-fz-v2c', 'ups-fz-v3', 'apc-fz'] as const;
const FUZZED_MODBUS_TCP = ['meter-fz-1', 'meter-fz-2', 'meter-fz-3', 'crac-fz-1', 'crac-fz-2', 'th-fz-tcp'] as const;
const FUZZED_MODBUS = [...FUZZED_MODBUS_TCP, 'th-fz', 'leak-fz'] as const;
const CONTROLS = ['ups-ok', 'crac-ok', 'meter-ok'] as const;

const influxd = new TestInfluxd();
const random = new FuzzRandom(SEED);
// Delays longer than the 300 ms timeout, so delayed replies arrive for requests already given up.
const snmpProxyOptions = { random, burst: 12, delayMs: [350, 1500] as const };
// A Modbus line carries one request at a time and a bad frame ends the poll, so each reply is
// answered with a longer burst: a slave spewing garbage.
const modbusProxyOptions = { random, burst: 40, delayMs: [350, 1500] as const };
let simulator: RoomSimulator;
let daemon: Child;
let apiPort = 0;
let trapPort = 0;
const snmpProxies = new Map<string, SnmpFuzzProxy>();
const modbusProxies = new Map<string, ModbusFuzzProxy>();
/** Every line the daemon wrote, scanned as it comes (the Child keeps only the tail). */
const daemonLog = { lines: 0, bugs: [] as string[], secretLeaks: [] as string[], traps: [] as string[] };
/** The configured secrets: mutated replies must not make any of them show up in logs or InfluxDB. */
const SECRETS = ['sim-public', 'sim-auth-key', 'sim-priv-key'];

/** Both files describe the same room; the daemon's reaches the fuzzed devices through proxies. */
function roomYaml(ports: Record<string, number>): string {
  // One OID per GET and many in flight: every poll puts a score of requests (and replies to
  // mutate) on the wire at once, and a mutated request id can hit another request in flight.
  const snmp = (port: number, extra = 'community: sim-public') => `{ host: 127.0.0.1, port: ${port}, ${extra}, timeout: 300ms, retries: 0, max_oids_per_request: 1, max_concurrency: 32 }`;
  const v3 = 'version: "3", user: simuser, security_level: authPriv, auth_protocol: sha, auth_key: sim-auth-key, priv_protocol: aes, priv_key: sim-priv-key';
  const tcp = (port: number) => `{ transport: tcp, host: 127.0.0.1, port: ${port}, timeout: 300ms, retries: 0 }`;
  return `log_level: info
influxdb: { url: "${influxd.url}", database: ${DATABASE}, flush_interval: 200ms }
spool: { dir: spool }
alerting: { state_dir: alerts }
${apiSection(`127.0.0.1:${apiPort}`)}
traps: { listen: "127.0.0.1:${trapPort}" }
collector: { default_interval: ${INTERVAL_MS / 1000}s, jitter: 0.05 }
sites:
  - id: site-1
    rooms: [{ id: room-1 }]
buses:
  - { id: gw, transport: rtu-over-tcp, host: 127.0.0.1, port: ${ports['gw']} }
devices:
  - { id: ups-fz-v2c, site: site-1, room: room-1, template: ups-rfc1628, labels: { phases: "3" }, snmp: ${snmp(ports['ups-fz-v2c']!)} }
  - { id: ups-fz-v3, site: site-1, room: room-1, template: ups-rfc1628, labels: { phases: "3" }, snmp: ${snmp(ports['ups-fz-v3']!, v3)} }
  - { id: apc-fz, site: site-1, room: room-1, template: apc-powernet-ups, snmp: ${snmp(ports['apc-fz']!)} }
  - { id: meter-fz-1, site: site-1, room: room-1, template: sdm630, modbus: ${tcp(ports['meter-fz-1']!)} }
  - { id: meter-fz-2, site: site-1, room: room-1, template: sdm630, modbus: ${tcp(ports['meter-fz-2']!)} }
  - { id: meter-fz-3, site: site-1, room: room-1, template: sdm630, modbus: ${tcp(ports['meter-fz-3']!)} }
  - { id: crac-fz-1, site: site-1, room: room-1, template: crac-modbus-generic, modbus: ${tcp(ports['crac-fz-1']!)} }
  - { id: crac-fz-2, site: site-1, room: room-1, template: crac-modbus-generic, modbus: ${tcp(ports['crac-fz-2']!)} }
  - { id: th-fz-tcp, site: site-1, room: room-1, template: th-sensor-modbus, modbus: ${tcp(ports['th-fz-tcp']!)} }
  - { id: th-fz, site: site-1, room: room-1, template: th-sensor-modbus, modbus: { bus: gw, unit_id: 1, timeout: 300ms, retries: 0 } }
  - { id: leak-fz, site: site-1, room: room-1, template: leak-detector-modbus, modbus: { bus: gw, unit_id: 2, timeout: 300ms, retries: 0 } }
  - { id: ups-ok, site: site-1, room: room-1, template: ups-rfc1628, labels: { phases: "3" }, snmp: { host: 127.0.0.1, port: ${ports['ups-ok']}, community: sim-public, timeout: 1s, retries: 1 } }
  - { id: crac-ok, site: site-1, room: room-1, template: liebert-gp-crac, snmp: { host: 127.0.0.1, port: ${ports['crac-ok']}, community: sim-public, timeout: 1s, retries: 1 } }
  - { id: meter-ok, site: site-1, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${ports['meter-ok']}, timeout: 1s, retries: 1 } }
`;
}

/**
 * A port for the daemon's own listeners (API, traps) below Linux's ephemeral range (32768+),
 * free for TCP and UDP: the daemon binds a score of ephemeral client sockets before it listens,
 * and one of them could otherwise take a port picked from that range.
 */
async function listenPort(random: FuzzRandom): Promise<number> {
  for (;;) {
    const port = random.between(20_000, 32_000);
    const tcp = await new Promise<boolean>((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    const udp = tcp && (await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4').once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    }));
    if (udp) return port;
  }
}

function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) / 1024;
}

type Health = { time: number; device: string; comms: number };
const health = (since: number, device: string) => influxd.query<Health>(DATABASE, `SELECT comms FROM device_health WHERE device = '${device}' AND time >= ${since}ms`);
const setModes = (mode: ProxyMode) => [...snmpProxies.values(), ...modbusProxies.values()].forEach((p) => (p.mode = mode));
const snmpTotal = () => [...snmpProxies.values()].reduce((n, p) => n + p.counts.total, 0);
const modbusTotal = () => [...modbusProxies.values()].reduce((n, p) => n + p.counts.total, 0);
/** Waits for `check`; on time-out says where the counters stood and whether the daemon lived. */
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  await eventually(async () => (await check()) || !daemon.alive, timeoutMs, what).catch(() => undefined);
  if (!daemon.alive || !(await check())) {
    throw new Error(`${what}: not reached (snmp ${snmpTotal()}, modbus ${modbusTotal()} mutated; daemon ${daemon.alive ? 'alive' : 'exited'})\n${daemon.output.slice(-3000)}`);
  }
}

beforeAll(async () => {
  await influxd.start();
  const portRandom = new FuzzRandom(SEED ^ process.pid);
  apiPort = await listenPort(portRandom);
  trapPort = await listenPort(portRandom);
  const upstream: Record<string, number> = {};
  for (const id of [...FUZZED_SNMP, ...FUZZED_MODBUS_TCP, 'gw', ...CONTROLS]) upstream[id] = await freePort();
  const viaProxy: Record<string, number> = { ...upstream };
  for (const id of FUZZED_SNMP) {
    const proxy = new SnmpFuzzProxy(upstream[id]!, snmpProxyOptions);
    viaProxy[id] = await proxy.start();
    snmpProxies.set(id, proxy);
  }
  for (const id of [...FUZZED_MODBUS_TCP, 'gw']) {
    const proxy = new ModbusFuzzProxy(upstream[id]!, id === 'gw' ? 'rtu' : 'mbap', modbusProxyOptions);
    viaProxy[id] = await proxy.start();
    modbusProxies.set(id, proxy);
  }
  const dir = mkdtempSync(join(tmpdir(), 'chaos-hostile-'));
  const simFile = join(dir, 'sim.yaml');
  const daemonFile = join(dir, 'roomwatch.yaml');
  writeFileSync(simFile, roomYaml(upstream));
  writeFileSync(daemonFile, roomYaml(viaProxy));
  const simConfig = loadConfig(simFile);
  if (!simConfig.ok) throw new Error(simConfig.issues.map(formatIssue).join('\n'));
  simulator = new RoomSimulator(simConfig.config, new SimClock(1), SEED);
  await simulator.start();
  daemon = startDaemon(daemonFile);
  const scan = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      daemonLog.lines++;
      // A plain-text line is a stack trace (the logger writes JSON); the others are the daemon's
      // own words for a bug it caught. Devices' error texts may say anything and are not scanned.
      if (!line.startsWith('{') || /unhandled rejection|uncaught exception|poll consumer failed/i.test(line)) daemonLog.bugs.push(line.slice(0, 400));
      if (SECRETS.some((secret) => line.includes(secret))) daemonLog.secretLeaks.push(line.slice(0, 400));
      if (line.includes('"component":"traps"') && daemonLog.traps.length < 20) daemonLog.traps.push(line.slice(0, 400));
    }
  };
  daemon.process.stdout!.on('data', scan);
  daemon.process.stderr!.on('data', scan);
  await daemon.waitFor('roomwatch running', 30_000);
}, 120_000);

afterAll(async () => {
  await daemon?.stop('SIGKILL');
  await simulator?.stop();
  for (const proxy of snmpProxies.values()) proxy.close();
  for (const proxy of modbusProxies.values()) await proxy.close();
  await influxd.destroy();
});

describe('hostile devices (fuzzing proxies) and hostile traps', () => {
  it(`survives ${TARGET_MUTATIONS} mutated SNMP and ${TARGET_MUTATIONS} mutated Modbus replies: fuzzed devices down then up, the others untouched`, async () => {
    const pid = daemon.process.pid!;
    // Warm-up: every device answered once through sane proxies.
    const all = [...FUZZED_SNMP, ...FUZZED_MODBUS, ...CONTROLS];
    const warm = Date.now();
    await eventually(async () => {
      const rows = await influxd.query<{ device: string; comms: number }>(DATABASE, `SELECT max(comms) AS comms FROM device_health WHERE time >= ${warm - 60_000}ms GROUP BY device`);
      return rows.filter((r) => r.comms === 1).length === all.length;
    }, 40_000, 'every device polled once');
    const rssBefore = rssMiB(pid);
    const logLinesBefore = daemonLog.lines;

    const trapPdu = ['', '1.3.6.1.2.1.33.2.1'];
    const traps = new TrapFuzzer(
      trapPort,
      random,
      [
        await captureTrap(['-v', '2c', '-c', 'not-a-device'], trapPdu),
        await captureTrap(['-v', '1', '-c', 'not-a-device'], ['1.3.6.1.4.1.318', '', '6', '5', '']),
        await captureTrap(['-v', '3', '-l', 'authPriv', '-u', 'stranger', '-a', 'SHA', '-A', 'stranger-auth', '-x', 'AES', '-X', 'stranger-priv', '-e', '0x80001f8880c0ffee0002'], trapPdu),
      ],
      await captureTrap(['-v', '2c', '-c', 'sim-public'], trapPdu),
    );
    await traps.start();
    const trapTimer = setInterval(() => traps.round(3), 100);

    // Hostile: nothing genuine reaches the fuzzed devices' clients.
    const hostileFrom = Date.now();
    setModes('hostile');
    await until(() => snmpTotal() >= TARGET_MUTATIONS * 0.6 && modbusTotal() >= TARGET_MUTATIONS * 0.6, 120_000, '60 % of the mutations');
    const downSeen: Record<string, boolean> = {};
    for (const id of [...FUZZED_SNMP, ...FUZZED_MODBUS]) downSeen[id] = (await health(hostileFrom, id)).some((r) => r.comms === 0);
    // Mixed: duplicated and stale genuine replies among the mutated ones.
    setModes('mixed');
    const [snmpAtMixed, modbusAtMixed] = [snmpTotal(), modbusTotal()];
    const mixedDone = () => snmpTotal() >= Math.max(TARGET_MUTATIONS, snmpAtMixed + 2000) && modbusTotal() >= Math.max(TARGET_MUTATIONS, modbusAtMixed + 2000);
    await until(mixedDone, 120_000, 'all mutations, 2,000 of each in the mixed phase');
    clearInterval(trapTimer);

    // Sane again: every fuzzed device must come back up.
    setModes('sane');
    const saneFrom = Date.now();
    const recovered: Record<string, boolean> = {};
    await eventually(async () => {
      for (const id of [...FUZZED_SNMP, ...FUZZED_MODBUS]) {
        if (!recovered[id]) recovered[id] = (await health(saneFrom + 500, id)).some((r) => r.comms === 1);
      }
      return Object.keys(recovered).length === FUZZED_SNMP.length + FUZZED_MODBUS.length && Object.values(recovered).every(Boolean);
    }, 30_000, 'every fuzzed device marked up again').catch(() => undefined);
    await sleep(1500);
    const end = Date.now();
    const rssAfter = rssMiB(pid);
    const alive = daemon.alive;
    const apiHealth = (await apiJson<{ status: string; traps: { unknown_senders: number } }>(`http://127.0.0.1:${apiPort}/api/health`));
    traps.close();

    // The devices polled directly: up at every poll of the whole run, none missed.
    const control: Record<string, { expected: number; present: number; down: number; maxGapMs: number }> = {};
    for (const id of CONTROLS) {
      const rows = (await health(hostileFrom, id)).filter((r) => r.time <= end);
      const gaps = rows.slice(1).map((r, i) => r.time - rows[i]!.time);
      control[id] = { expected: Math.floor((end - hostileFrom) / INTERVAL_MS), present: rows.length, down: rows.filter((r) => r.comms !== 1).length, maxGapMs: Math.max(0, ...gaps) };
    }
    const storedErrors = await influxd.query<{ error: string }>(DATABASE, `SELECT error FROM device_health WHERE time >= ${hostileFrom}ms`);
    const storedLeaks = storedErrors.filter((r) => SECRETS.some((secret) => String(r.error).includes(secret)));
    const pollsMissed = Object.values(control).reduce((n, c) => n + Math.max(0, c.expected - c.present), 0);
    const byKind = (proxies: Iterable<SnmpFuzzProxy | ModbusFuzzProxy>) => {
      const out: Record<string, number> = {};
      for (const proxy of proxies) for (const [kind, n] of Object.entries(proxy.counts.byKind)) out[kind] = (out[kind] ?? 0) + n;
      return out;
    };
    console.log(
      `chaos-figures ${JSON.stringify({
        suite: 'hostile-devices',
        seed: SEED,
        snmp_replies_mutated: snmpTotal(),
        snmp_by_kind: byKind(snmpProxies.values()),
        modbus_replies_mutated: modbusTotal(),
        modbus_by_kind: byKind(modbusProxies.values()),
        modbus_connections: [...modbusProxies.values()].reduce((n, p) => n + p.connections, 0),
        traps_garbage: traps.garbage,
        traps_unknown_sender: traps.unknownSenders,
        daemon_unknown_senders_counted: apiHealth.traps.unknown_senders,
        crashes: alive ? 0 : 1,
        rss_before_mib: Math.round(rssBefore),
        rss_after_mib: Math.round(rssAfter),
        rss_growth_mib: Math.round(rssAfter - rssBefore),
        fuzzed_down_seen: Object.values(downSeen).filter(Boolean).length,
        fuzzed_recovered: Object.values(recovered).filter(Boolean).length,
        fuzzed_devices: FUZZED_SNMP.length + FUZZED_MODBUS.length,
        control_polls_expected: Object.values(control).reduce((n, c) => n + c.expected, 0),
        control_polls_present: Object.values(control).reduce((n, c) => n + c.present, 0),
        control_polls_missed: pollsMissed,
        control_polls_down: Object.values(control).reduce((n, c) => n + c.down, 0),
        daemon_log_lines_during_fuzz: daemonLog.lines - logLinesBefore,
        secret_leaks: daemonLog.secretLeaks.length + storedLeaks.length,
        seconds: Math.round((end - hostileFrom) / 1000),
      })}`,
    );

    expect(alive, daemon.output.slice(-4000)).toBe(true);
    expect(daemonLog.bugs.slice(0, 5)).toEqual([]);
    expect(daemonLog.secretLeaks.slice(0, 3)).toEqual([]);
    expect(storedLeaks.slice(0, 3)).toEqual([]);
    expect(apiHealth.status).toBe('ok');
    expect(snmpTotal()).toBeGreaterThanOrEqual(TARGET_MUTATIONS);
    expect(modbusTotal()).toBeGreaterThanOrEqual(TARGET_MUTATIONS);
    // Every fuzzed device was marked down while nothing genuine reached it, and up once it did.
    expect(downSeen).toEqual(Object.fromEntries([...FUZZED_SNMP, ...FUZZED_MODBUS].map((id) => [id, true])));
    expect(recovered).toEqual(Object.fromEntries([...FUZZED_SNMP, ...FUZZED_MODBUS].map((id) => [id, true])));
    // Untrusted notifications were counted, not acted on.
    expect(apiHealth.traps.unknown_senders, `${JSON.stringify(apiHealth.traps)}\n${daemonLog.traps.join('\n')}`).toBeGreaterThanOrEqual(traps.unknownSenders);
    // A leak would grow with the 20,000 replies; a generous bound that is not a speed figure.
    expect(rssAfter - rssBefore).toBeLessThan(100);
    for (const id of CONTROLS) {
      expect({ id, down: control[id]!.down }).toEqual({ id, down: 0 });
      // One poll per interval (± 5 % jitter): a missed one would leave a gap of two intervals.
      expect({ id, everyTurnPolled: control[id]!.present >= control[id]!.expected - 1, noGap: control[id]!.maxGapMs < 1.8 * INTERVAL_MS }).toEqual({ id, everyTurnPolled: true, noGap: true });
    }
    expect(daemon.output).not.toMatch(new RegExp(`"device":"(${CONTROLS.join('|')})"[^\\n]*previous poll still running`));
  });
});
