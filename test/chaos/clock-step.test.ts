import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { fault, printFigures, startMock, WatchedDaemon } from '../helpers/chaos.js';
import { eventually, sleep, type Child } from '../helpers/processes.js';
import { SIM_ROOM_API, writeSimRoom } from '../helpers/sim-room.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';

// The daemon's wall clock stepped an hour ahead, back, an hour behind and back (Debian's
// libfaketime, monotonic clock left alone as on a real machine) while a `for` is running
// (pending), a `clear_for` is running (clearing), and a silent device's comms-loss and stale-data
// counts are running: no alert fires or clears because of a step, and polling goes on.
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
const STEPS = ['+1h', '+0', '-1h', '+0'] as const;
const SETTLE_MS = 9_000;

interface ApiAlert { id: string; rule: string; device: string; status: string }

const influxd = new TestInfluxd();
let mock: Child | undefined;
let daemon: WatchedDaemon | undefined;

afterAll(async () => {
  await daemon?.stop();
  await mock?.stop();
  await influxd.destroy();
});

it('fires and clears nothing because the wall clock stepped an hour forward or back', async () => {
  expect(existsSync(LIBFAKETIME), `${LIBFAKETIME} (Debian package faketime) is needed`).toBe(true);
  await influxd.start();
  const room = await writeSimRoom(influxd.url, 1);
  const apiPort = await freePort();
  const controlPort = await freePort();
  writeFileSync(
    room.file,
    `log_level: trace\n${readFileSync(room.file, 'utf8').replace(
      SIM_ROOM_API,
      `${apiSection(`127.0.0.1:${apiPort}`)}
alerting:
  state_dir: alerts
  comms_lost_polls: 120
  stale_after_polls: 120
  rules:
    - { name: water_leak, match: { device: leak-1 }, clear_for: 10m }
    - { name: chaos_warm_for_ten_minutes, match: { device: th-1 }, measurement: environment, field: temperature, above: 0, for: 10m, severity: warning, summary: { en: warm for ten minutes, zh-CN: 温度持续十分钟 }, source: chaos test }`,
    )}`,
  );
  const stamp = join(room.dir, 'faketime');
  writeFileSync(stamp, '+0\n');
  mock = await startMock(room.file, controlPort);
  daemon = new WatchedDaemon(room.file, { LD_PRELOAD: LIBFAKETIME, FAKETIME_TIMESTAMP_FILE: stamp, FAKETIME_NO_CACHE: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' });
  await daemon.waitFor('roomwatch running', 30_000);
  const alerts = () => apiJson<{ active: ApiAlert[]; recent: ApiAlert[] }>(`http://127.0.0.1:${apiPort}/api/alerts`);
  const describe = (list: ApiAlert[]) => list.map((a) => `${a.id} ${a.rule} ${a.device} ${a.status}`).sort();

  // Firing, then clearing: the leak stops and clear_for (10 min) starts running.
  await fault(controlPort, 'inject', 'water_leak', 'leak-1');
  await eventually(async () => (await alerts()).active.some((a) => a.rule === 'water_leak') || undefined, 15_000, 'the leak alert');
  await fault(controlPort, 'clear', 'water_leak', 'leak-1');
  // Comms loss and stale data start counting (120 polls / 120 s) for a device gone silent.
  await fault(controlPort, 'inject', 'silent', 'meter-1');
  await sleep(5000);
  const pending = daemon.lines.filter((l) => l.msg === 'poll done' && l.device === 'th-1' && l.ok === true).length;
  expect(pending, 'th-1 polled, so its ten-minute `for` is running').toBeGreaterThan(3);
  const baseline = await alerts();
  expect(describe(baseline.active)).toContainEqual(expect.stringMatching(/ water_leak leak-1 firing$/));

  const diff = (a: string[], b: string[]) => [...a.filter((x) => !b.includes(x)).map((x) => `+ ${x}`), ...b.filter((x) => !a.includes(x)).map((x) => `- ${x}`)];
  const changed: string[] = [];
  const wallJumps: number[] = [];
  const pollsPerStep: number[] = [];
  for (const step of STEPS) {
    const lineBefore = daemon.lines.length;
    writeFileSync(stamp, `${step}\n`);
    await sleep(SETTLE_MS);
    const after = daemon.lines.slice(lineBefore);
    // Node's Date.now() follows the stepped clock: the daemon's log times are off by the step.
    // The last line of the window: the first ones may have been logged just before the step.
    const logged = after.filter((l) => l.msg === 'poll done').at(-1)!;
    wallJumps.push(Math.round(((logged.time as number) - Date.now()) / 60_000) || 0);
    const polls = after.filter((l) => l.msg === 'poll done' && l.device === 'th-1').length;
    pollsPerStep.push(polls);
    const now = await alerts();
    const changes = [...diff(describe(now.active), describe(baseline.active)), ...diff(describe(now.recent), describe(baseline.recent))];
    changed.push(...changes.map((c) => `${step}: ${c}`));
  }
  const stepped = STEPS.map((s, i) => ({ to: s, wall_minutes_vs_real: wallJumps[i], th1_polls: pollsPerStep[i] }));
  printFigures('clock-step', { steps: stepped, settle_s: SETTLE_MS / 1000, alerts_active: baseline.active.length, alerts_changed_by_steps: changed.length });
  expect(wallJumps).toEqual([60, 0, -60, 0]);
  expect(changed).toEqual([]);
  for (const polls of pollsPerStep) expect(polls, 'th-1 polled every second after each step').toBeGreaterThanOrEqual(SETTLE_MS / 1000 - 3);
  expect(daemon.errors()).toEqual([]);
  expect(await daemon.stop(), 'the daemon stops on SIGTERM').toBe(true);
});
