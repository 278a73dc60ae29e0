import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestInfluxd } from '../../mocks/influxd.js';
import { eventually, ROOT, sleep, startDaemon, type Child } from '../helpers/processes.js';
import { startRealdataPeers } from '../helpers/realdata.js';

const influxd = new TestInfluxd();
const daemons: Child[] = [];
let peers: Awaited<ReturnType<typeof startRealdataPeers>>;
let configFile = '';
const DEVICES = ['ups-delta', 'ups-eaton', 'ups-huawei', 'ups-apc', 'crac-1', 'crac-1-ups', 'meter-incomer'];

/** The shipped example, pointed at this test's influxd and peers, polling every second. */
function exampleConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'realdata-room-'));
  cpSync(join(ROOT, 'config', 'examples'), dir, { recursive: true });
  const main = join(dir, 'realdata-room.yaml');
  writeFileSync(
    main,
    readFileSync(main, 'utf8')
      .replace('http://127.0.0.1:8086', influxd.url)
      .replace('default_interval: 10s', 'default_interval: 1s')
      .replace('dir: ../../data/spool', 'dir: spool')
      .replace('state_dir: ../../data/alerts', 'state_dir: alerts')
      .replace('listen: 127.0.0.1:8080', 'listen: 127.0.0.1:0')
      .replace('url:', 'flush_interval: 200ms\n  url:'),
  );
  for (const file of ['ups.yaml', 'cooling-and-power.yaml']) {
    const path = join(dir, 'realdata-devices', file);
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll('port: 11161', `port: ${peers.snmpPort}`).replaceAll('port: 15020', `port: ${peers.modbusPort}`));
  }
  return main;
}

beforeAll(async () => {
  peers = await startRealdataPeers();
  await influxd.start();
  configFile = exampleConfig();
});
afterAll(async () => {
  for (const daemon of daemons) await daemon.stop('SIGKILL');
  peers?.stop();
  await influxd.destroy();
});

async function pollTimes(device: string): Promise<number[]> {
  const rows = await influxd.query<{ time: number }>('roomwatch', `SELECT comms FROM device_health WHERE device = '${device}'`);
  return rows.map((r) => r.time);
}

describe('roomwatch run with the example configuration against the real-device peers', () => {
  it('stores the recordings’ values in InfluxDB with site, room and device tags', async () => {
    const daemon = startDaemon(configFile);
    daemons.push(daemon);
    await eventually(async () => (await influxd.query('roomwatch', 'SELECT last(comms) FROM device_health GROUP BY device')).length === DEVICES.length, 20_000, 'all devices polled');
    const health = await influxd.query<{ device: string; last: number }>('roomwatch', 'SELECT last(comms) FROM device_health GROUP BY device');
    expect(health.every((r) => r.last === 1)).toBe(true);

    const [huawei] = await influxd.query<Record<string, unknown>>('roomwatch', `SELECT last(battery_voltage) AS v, last(battery_runtime_remaining) AS runtime FROM ups WHERE device = 'ups-huawei'`);
    expect(huawei).toMatchObject({ v: 270.7, runtime: null });
    const [eatonL3] = await influxd.query<Record<string, unknown>>('roomwatch', `SELECT last(input_voltage) AS v FROM ups WHERE device = 'ups-eaton' AND phase = '3'`);
    expect(eatonL3).toMatchObject({ v: 240 });
    const [supply] = await influxd.query<Record<string, unknown>>('roomwatch', `SELECT last(temperature) AS t FROM crac WHERE device = 'crac-1' AND sensor = 'supply_air'`);
    expect(supply).toMatchObject({ t: 25 });
    const [meter] = await influxd.query<Record<string, unknown>>('roomwatch', `SELECT last(energy_import_active) AS e, region, floor, site, room FROM power_meter WHERE device = 'meter-incomer' GROUP BY region, floor, site, room`);
    expect(meter).toMatchObject({ e: 12345.5, region: 'zhejiang', floor: '3', site: 'zj-prov', room: 'main-room' });
  });

  it('loses no poll while InfluxDB is stopped for a while and restarted', async () => {
    const before = Date.now();
    await influxd.stop();
    await sleep(5000);
    await influxd.start();
    const after = Date.now();
    await sleep(2500);
    for (const device of DEVICES) {
      const times = (await eventually(async () => {
        const t = await pollTimes(device);
        return t.some((x) => x > after) ? t : undefined;
      }, 30_000, `polls of ${device} after the outage`)).filter((t) => t >= before - 2000 && t <= after + 2000);
      // 1 s interval with ±10 % jitter: consecutive polls are at most ~1.2 s apart, so any gap
      // over 2.5 s would be a lost poll.
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.max(...gaps), `largest gap between stored polls of ${device}`).toBeLessThan(2500);
      expect(times.length).toBeGreaterThanOrEqual(7);
    }
  });

  it('loses no spooled point when the daemon is killed with SIGKILL and restarted', async () => {
    const [first] = daemons;
    await influxd.stop();
    await sleep(3000);
    const killedAt = Date.now();
    first!.process.kill('SIGKILL');
    await new Promise((resolve) => first!.process.once('exit', resolve));
    await influxd.start();
    const second = startDaemon(configFile);
    daemons.push(second);
    await second.waitFor('roomwatch running');
    await eventually(async () => {
      const times = await pollTimes('ups-delta');
      return times.some((t) => t > killedAt) ? times : undefined;
    }, 30_000, 'polls after the restart');
    await sleep(1500);
    for (const device of DEVICES) {
      // Polls from the outage (spooled, then the daemon was killed) must all be there:
      // no gap beyond jitter until the kill; the flush interval (200 ms) is the only exposure.
      const times = (await pollTimes(device)).filter((t) => t <= killedAt - 300);
      const tail = times.slice(-6);
      const gaps = tail.slice(1).map((t, i) => t - tail[i]!);
      expect(Math.max(...gaps), `gap in ${device}'s polls before the kill`).toBeLessThan(2500);
      expect(killedAt - tail.at(-1)!, `last stored poll of ${device} before the kill`).toBeLessThan(1600);
    }
    expect(await second.stop()).toBe(0);
  });
});
