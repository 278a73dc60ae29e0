import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { garbageModbusSlave, garbageSnmpAgent, silentModbusSlave } from '../helpers/garbage.js';
import { freePort } from '../../mocks/influxd.js';
import { daemonTestBed } from '../helpers/daemon-bed.js';
import { eventually, ROOT, sleep, startDaemon, startModbusSlave } from '../helpers/processes.js';

const { influxd, children, closers, writeConfig } = daemonTestBed();
const config = (dir: string, database: string, devices: string) => writeConfig(dir, database, devices);

describe('roomwatch run', () => {
  it('stores readings and device health, and survives agents and slaves that answer garbage', async () => {
    const modbusPort = await freePort();
    children.push(await startModbusSlave(join(ROOT, 'test', 'fixtures', 'sdm630-small.json'), 'tcp', { port: modbusPort }));
    const badAgent = await garbageSnmpAgent();
    closers.push(badAgent.close);
    const badSlave = await garbageModbusSlave();
    closers.push(badSlave.close);
    const slowSlave = await silentModbusSlave();
    closers.push(slowSlave.close);
    const dir = mkdtempSync(join(tmpdir(), 'daemon-'));
    const file = config(
      dir,
      'daemon_garbage',
      `  - { id: meter-ok, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${modbusPort}, timeout: 500ms } }
  - { id: meter-garbage, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${badSlave.port}, timeout: 300ms, retries: 0 } }
  - { id: ups-garbage, site: site-a, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: ${badAgent.port}, community: public, timeout: 300ms, retries: 0 } }
  - { id: meter-silent, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${slowSlave.port}, timeout: 3s, retries: 1 } }
`,
    );
    const daemon = startDaemon(file);
    children.push(daemon);
    await daemon.waitFor('roomwatch running');

    const voltage = await eventually(
      async () => (await influxd.query<{ voltage: number; phase: string; site: string; device_type: string }>('daemon_garbage', `SELECT voltage, phase, site, device_type FROM power_meter WHERE device = 'meter-ok' AND phase = '1' LIMIT 1`)).at(0),
      20_000,
      'meter readings in InfluxDB',
    );
    expect(voltage).toMatchObject({ voltage: 231, phase: '1', site: 'site-a', device_type: 'sdm630' });

    // Several polls of the bad devices later, the daemon is alive and both are recorded as down.
    await eventually(() => Promise.resolve(badAgent.received() >= 3 && badSlave.requests() >= 3), 20_000, 'repeated polls of the garbage peers');
    const health = await eventually(async () => {
      const rows = await influxd.query<{ device: string; comms: number }>('daemon_garbage', `SELECT last(comms) AS comms FROM device_health GROUP BY device`);
      return rows.length === 4 ? rows : undefined;
    }, 20_000, 'health of four devices');
    expect(Object.fromEntries(health.map((r) => [r.device, r.comms]))).toEqual({ 'meter-ok': 1, 'meter-garbage': 0, 'ups-garbage': 0, 'meter-silent': 0 });
    // The silent meter takes 6 s a poll (3 s timeout, 1 retry) and is skipped while it hangs;
    // the good meter keeps its 1 s rhythm meanwhile.
    const okTimes = (await influxd.query<{ time: number }>('daemon_garbage', `SELECT comms FROM device_health WHERE device = 'meter-ok'`)).map((r) => r.time);
    const gaps = okTimes.slice(1).map((t, i) => t - okTimes[i]!);
    expect(Math.max(...gaps)).toBeLessThan(2000);
    expect(daemon.output).toContain('previous poll still running; this turn skipped');
    expect(daemon.alive).toBe(true);
    expect(await daemon.stop()).toBe(0);
  });

  it('loses no spooled point when killed with SIGKILL during an InfluxDB outage', async () => {
    const modbusPort = await freePort();
    children.push(await startModbusSlave(join(ROOT, 'test', 'fixtures', 'sdm630-small.json'), 'tcp', { port: modbusPort }));
    const dir = mkdtempSync(join(tmpdir(), 'daemon-'));
    const file = config(dir, 'daemon_kill', `  - { id: meter-1, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${modbusPort} } }\n`);

    const first = startDaemon(file);
    children.push(first);
    await eventually(async () => (await influxd.query('daemon_kill', 'SELECT count(comms) FROM device_health')).at(0), 20_000, 'first points');

    await influxd.stop();
    await first.waitFor('InfluxDB write failed');
    await sleep(3000);
    // Every poll the daemon logged before the kill reached the spool at the next flush (200 ms).
    await sleep(400);
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    const spooledSegments = readdirSync(join(dir, 'spool')).filter((f) => f.endsWith('.ndjson'));
    expect(spooledSegments.length).toBeGreaterThan(0);
    const spooledTimes = new Set<number>();
    for (const segment of spooledSegments) {
      const text = readFileSync(join(dir, 'spool', segment), 'utf8');
      for (const line of text.trim().split('\n')) spooledTimes.add((JSON.parse(line) as { ts: number }).ts);
    }

    await influxd.start();
    const second = startDaemon(file);
    children.push(second);
    await eventually(async () => {
      const rows = await influxd.query<{ time: number }>('daemon_kill', 'SELECT comms FROM device_health');
      const stored = new Set(rows.map((r) => r.time));
      return [...spooledTimes].every((t) => stored.has(t));
    }, 30_000, 'every spooled poll to reach InfluxDB');
    const rows = await influxd.query<{ time: number }>('daemon_kill', 'SELECT comms FROM device_health');
    expect(new Set(rows.map((r) => r.time)).size).toBe(rows.length);
    expect(await second.stop()).toBe(0);
  });
});
