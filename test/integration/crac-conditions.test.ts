import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../mocks/influxd.js';
import { SimClock } from '../../mocks/sim/clock.js';
import { RoomSimulator } from '../../mocks/sim/room-simulator.js';
import { loadScenario, startScenario } from '../../mocks/sim/scenario.js';
import { SIM_ROOM_API, writeSimRoom, type SimRoom } from '../helpers/sim-room.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';
import { eventually, startDaemon, type Child } from '../helpers/processes.js';

// The Liebert card's general alarm says only that something is wrong; its conditions table
// (LIEBERT-GP-CONDITIONS-MIB lgpConditionDescr) says what. The simulated card serves a row per
// active condition, Net-SNMP's snmpbulkwalk reads it, and the real daemon's alert names it.
const DESCR = '.1.3.6.1.4.1.476.1.42.3.2.3.1.2';
const HIGH_HEAD_PRESSURE = '.1.3.6.1.4.1.476.1.42.3.2.1.7';

const run = promisify(execFile);
let room: SimRoom;
let simulator: RoomSimulator;
let daemon: Child | undefined;
let apiPort: number;

beforeAll(async () => {
  room = await writeSimRoom();
  apiPort = await freePort();
  writeFileSync(room.file, readFileSync(room.file, 'utf8').replace(SIM_ROOM_API, `${apiSection(`127.0.0.1:${apiPort}`)}`));
  simulator = new RoomSimulator(room.config, new SimClock(1, Date.UTC(2026, 10, 21, 6)), 11);
  await simulator.start();
}, 30_000);
afterAll(async () => {
  await daemon?.stop();
  await simulator?.stop();
});

async function conditionRows(): Promise<string[]> {
  const { stdout } = await run('snmpbulkwalk', ['-On', '-Oq', '-t', '1', '-r', '1', '-v2c', '-c', 'sim-public', `127.0.0.1:${room.ports.crac1}`, DESCR], { env: { ...process.env, MIBS: '' } });
  return stdout.split('\n').filter((line) => line.startsWith(`${DESCR}.`));
}

type ApiAlert = { rule: string; device: string; context?: Array<{ field: string; tags?: Record<string, string>; value: unknown }> };

describe('Liebert conditions table', () => {
  it('is empty on a healthy unit; in the compressor failure scenario it lists the high head pressure, and the general alarm names it', async () => {
    daemon = startDaemon(room.file);
    await daemon.waitFor('roomwatch running');
    expect(await conditionRows()).toEqual([]);

    const { scenario } = loadScenario('compressor-failure');
    startScenario(simulator, scenario!); // 60×: the compressor fails one simulated minute (1 s) in
    const rows = await eventually(async () => ((await conditionRows()).length ? conditionRows() : undefined), 10_000, 'a condition row');
    expect(rows).toContain(`${DESCR}.1 ${HIGH_HEAD_PRESSURE}`);

    const alarm = await eventually(async () => {
      const { active } = (await apiJson<{ active: ApiAlert[] }>(`http://127.0.0.1:${apiPort}/api/alerts`));
      return active.find((a) => a.rule === 'crac_general_alarm' && a.device === 'crac-1');
    }, 15_000, 'the general alarm of crac-1');
    expect(alarm.context).toContainEqual(expect.objectContaining({ field: 'active_condition', tags: { condition_id: '1' }, value: 'compressor_high_head_pressure' }));
  });
});
