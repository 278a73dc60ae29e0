import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { SimClock } from '../../mocks/sim/clock.js';
import { RoomSimulator } from '../../mocks/sim/room-simulator.js';
import { eventually, sleep, startDaemon, type Child } from '../helpers/processes.js';
import { SIM_ROOM_API, writeSimRoom } from '../helpers/sim-room.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';

// Net-SNMP's snmptrap (Debian "snmp") sends the traps: an independent implementation.
const run = promisify(execFile);
const influxd = new TestInfluxd();
let simulator: RoomSimulator;
let daemon: Child;
let trapPort = 0;
let apiPort = 0;

type ApiAlert = { rule: string; device: string; status: string; firingSince: number; resolvedAt?: number };
async function alerts(): Promise<{ active: ApiAlert[]; recent: ApiAlert[] }> {
  return (await apiJson<{ active: ApiAlert[]; recent: ApiAlert[] }>(`http://127.0.0.1:${apiPort}/api/alerts`));
}
const trap = (args: string[]) => run('snmptrap', args, { env: { ...process.env, MIBS: '' } });

beforeAll(async () => {
  await influxd.start();
  // Polls every 30 s: anything that happens within a second or two was driven by the trap.
  const room = await writeSimRoom(influxd.url, 30);
  trapPort = await freePort();
  apiPort = await freePort();
  writeFileSync(room.file, readFileSync(room.file, 'utf8').replace(SIM_ROOM_API, `${apiSection(`127.0.0.1:${apiPort}`)}\ntraps: { listen: "127.0.0.1:${trapPort}" }`));
  simulator = new RoomSimulator(room.config, new SimClock(1), 5);
  await simulator.start();
  daemon = startDaemon(room.file);
  await daemon.waitFor('roomwatch running');
}, 60_000);
afterAll(async () => {
  await daemon?.stop();
  await simulator?.stop();
  await influxd.destroy();
});

describe('SNMP traps', () => {
  it('upsTrapOnBattery (v2c) raises the on-battery alert at once; the confirming poll resolves it when mains is fine', async () => {
    const sent = Date.now();
    await trap(['-v', '2c', '-c', 'sim-public', `127.0.0.1:${trapPort}`, '', '1.3.6.1.2.1.33.2.1']);
    const fired = await eventually(async () => [...(await alerts()).active, ...(await alerts()).recent].find((a) => a.rule === 'ups_on_battery' && a.device === 'ups-1'), 5000, 'the trap alert');
    expect(fired.firingSince - sent).toBeLessThan(2000);
    const resolved = await eventually(async () => (await alerts()).recent.find((a) => a.rule === 'ups_on_battery' && a.device === 'ups-1' && a.status === 'resolved'), 8000, 'the confirming poll');
    expect(resolved.resolvedAt! - sent).toBeLessThan(8000);
    await daemon.waitFor(/trap: polling the device now to confirm/);
  });

  it('stays firing when the poll confirms it, and a v1 powerRestored trap from the APC clears it', async () => {
    simulator.inject('mains_failure', 'room-2');
    await trap(['-v', '1', '-c', 'sim-public', `127.0.0.1:${trapPort}`, '1.3.6.1.4.1.318', '', '6', '5', '']);
    await eventually(async () => (await alerts()).active.find((a) => a.rule === 'ups_on_battery' && a.device === 'ups-3'), 5000, 'the APC on-battery alert');
    await sleep(3000);
    expect((await alerts()).active.find((a) => a.rule === 'ups_on_battery' && a.device === 'ups-3')).toBeTruthy();
    simulator.faults.clear('mains_failure', 'room-2');
    await trap(['-v', '1', '-c', 'sim-public', `127.0.0.1:${trapPort}`, '1.3.6.1.4.1.318', '', '6', '9', '']);
    await eventually(async () => !(await alerts()).active.some((a) => a.rule === 'ups_on_battery' && a.device === 'ups-3'), 5000, 'the APC alert to clear');
  });

  it('takes SNMPv3 authPriv traps and v2c informs (answering the inform)', async () => {
    await trap(['-v', '3', '-l', 'authPriv', '-u', 'simuser', '-a', 'SHA', '-A', 'sim-auth-key', '-x', 'AES', '-X', 'sim-priv-key', '-e', '0x80001f8880c0ffee0001', `127.0.0.1:${trapPort}`, '', '1.3.6.1.2.1.33.2.3']);
    await eventually(async () => [...(await alerts()).active, ...(await alerts()).recent].some((a) => a.rule === 'ups_alarms_present' && a.device === 'ups-2'), 5000, 'the v3 trap alert');
    // snmpinform waits for the receiver's response and fails without one.
    await run('snmpinform', ['-v', '2c', '-c', 'sim-public', '-t', '2', '-r', '0', `127.0.0.1:${trapPort}`, '', '1.3.6.1.2.1.33.2.3'], { env: { ...process.env, MIBS: '' } });
  });

  it('counts and ignores traps from unknown senders', async () => {
    const health = async () => ((await apiJson<{ traps: { unknown_senders: number } }>(`http://127.0.0.1:${apiPort}/api/health`))).traps.unknown_senders;
    const before = await health();
    await trap(['-v', '2c', '-c', 'not-a-device', `127.0.0.1:${trapPort}`, '', '1.3.6.1.2.1.33.2.1']);
    await eventually(async () => (await health()) > before, 5000, 'the unknown sender to be counted');
    expect((await alerts()).active.filter((a) => a.rule === 'ups_on_battery')).toHaveLength(0);
  });
});
