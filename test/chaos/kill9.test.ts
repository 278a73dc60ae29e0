import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { fault, printFigures, readJournal, seeded, SlowHook, spooledPoints, startMock, WatchedDaemon } from '../helpers/chaos.js';
import { eventually, sleep, type Child } from '../helpers/processes.js';
import { MailCatcher } from '../helpers/receivers.js';
import { SIM_ROOM_API, writeSimRoom } from '../helpers/sim-room.js';

// kill -9 of the real daemon at 20 seeded moments — while polling, while rules evaluate, while a
// slowed-down receiver holds a notification — with faults opening and resolving alerts, acks and
// silences made through the API in between. After each restart the state is what the API and
// the journal said before the kill; at the end every notification queued was delivered at least
// once (repeats counted by key) and every point that reached the spool is in InfluxDB.
const KILLS = 20;
const SEED = 20261202;
const TOKEN = 'chaos-token-0123456789';
const FLUSH_MS = 200;
/** Kills from the first to before the second happen while InfluxDB is stopped. */
const INFLUX_DOWN = [8, 13] as const;
const FAULTS: Array<[string, string]> = [['water_leak', 'leak-1'], ['bypass', 'ups-1'], ['silent', 'th-1'], ['compressor_failure', 'crac-2'], ['breaker_trip', 'meter-2']];

interface ApiAlert { id: string; key: string; status: string; ack?: { by: string; at: number } }

const influxd = new TestInfluxd();
const hook = new SlowHook();
let mail: MailCatcher | undefined;
let mock: Child | undefined;
let daemon: WatchedDaemon | undefined;
let apiPort = 0;

afterAll(async () => {
  await daemon?.killHard();
  await mock?.stop();
  await mail?.stop();
  await hook.close();
  await influxd.destroy();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`http://127.0.0.1:${apiPort}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } : { authorization: `Bearer ${TOKEN}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as T };
}

it(`keeps alerts, acks, silences, spool and outbox across ${KILLS} SIGKILLs and delivers every notification`, async () => {
  const random = seeded(SEED);
  await influxd.start();
  await hook.listen();
  mail = new MailCatcher(await freePort());
  await mail.start();
  const room = await writeSimRoom(influxd.url, 1);
  apiPort = await freePort();
  const controlPort = await freePort();
  writeFileSync(
    room.file,
    `log_level: trace\n${readFileSync(room.file, 'utf8')
      .replace('flush_interval: 200ms', `flush_interval: ${FLUSH_MS}ms`)
      .replace(
        SIM_ROOM_API,
        `api: { listen: "127.0.0.1:${apiPort}", token: { env: CHAOS_API_TOKEN } }
alerting:
  state_dir: alerts
  group_wait: 1s
  comms_lost_polls: 2
  receivers:
    - { id: duty-mail, type: email, from: roomwatch@example.com, to: [duty@example.com], smtp: { host: 127.0.0.1, port: ${mail.port}, security: none }, timeout: 5s }
    - { id: noc-hook, type: webhook, url: "http://127.0.0.1:${hook.port}/alertmanager" }
    - { id: wecom-group, type: wecom, url: "http://127.0.0.1:${hook.port}/wecom" }`,
      )}`,
  );
  const env = { CHAOS_API_TOKEN: TOKEN };
  mock = await startMock(room.file, controlPort, env);
  const journalFile = join(room.dir, 'alerts', 'journal.ndjson');
  const spoolDir = join(room.dir, 'spool');
  daemon = new WatchedDaemon(room.file, env);
  await daemon.waitFor('roomwatch running');
  await sleep(2000);

  const active = new Set<string>();
  const acked = new Map<string, string>();
  const silences: string[] = [];
  const safePolls: Array<{ device: string; time: number }> = [];
  const spooledAtKills = new Set<string>();
  const phases: Record<string, number> = { polling: 0, evaluation: 0, delivery: 0 };
  const problems: string[] = [];

  for (let kill = 0; kill < KILLS; kill++) {
    // InfluxDB is away for a stretch of kills, so the spool holds points when the daemon dies.
    if (kill === INFLUX_DOWN[0]) await influxd.stop();
    if (kill === INFLUX_DOWN[1]) await influxd.start();
    // Where the kill lands: inside a delivery (a receiver slowed down holds the request), just
    // after a poll was handed on (evaluation and the sink at work), or anywhere in a poll interval.
    const phase = (['polling', 'evaluation', 'delivery'] as const)[Math.floor(random() * 3)]!;
    phases[phase]!++;
    // Something changes before each kill: a fault opens or resolves alerts (always before a
    // delivery kill, so there is something to deliver), someone acknowledges one, or silences a device.
    const action = phase === 'delivery' ? 0 : random();
    if (action < 0.6) {
      const [kind, target] = FAULTS[Math.floor(random() * FAULTS.length)]!;
      const id = `${kind}:${target}`;
      await fault(controlPort, active.has(id) ? 'clear' : 'inject', kind, target);
      if (active.has(id)) active.delete(id);
      else active.add(id);
    } else if (action < 0.85) {
      const { body } = await api<{ active: ApiAlert[] }>('GET', '/api/alerts');
      const open = body.active.filter((a) => !a.ack);
      if (open.length) {
        const target = open[Math.floor(random() * open.length)]!;
        const by = `值班员${kill}`;
        const result = await api('POST', `/api/alerts/${target.id}/ack`, { by, note: `kill ${kill}` });
        if (result.status === 200) acked.set(target.id, by);
      }
    } else {
      const device = FAULTS[Math.floor(random() * FAULTS.length)]![1];
      const ends = new Date(Date.now() + 3_600_000).toISOString();
      const result = await api<{ id: string }>('POST', '/api/silences', { matchers: { device }, ends, author: `张工${kill}`, reason: `chaos ${kill}` });
      if (result.status < 300) silences.push(result.body.id);
    }

    if (phase === 'delivery') {
      hook.delayMs = 1500;
      hook.slowPath = random() < 0.5 ? '/alertmanager' : '/wecom';
      // A silenced device's fault has nothing to deliver; the kill then lands after the wait.
      await eventually(() => hook.pending > 0 || undefined, 4_000, 'a delivery in flight').catch(() => undefined);
    } else if (phase === 'evaluation') {
      const seen = daemon.polls().length;
      await eventually(() => daemon!.polls().length > seen || undefined, 5_000, 'a poll');
    } else {
      await sleep(Math.floor(random() * 1000));
    }
    const { body: before } = await api<{ active: ApiAlert[] }>('GET', '/api/alerts');
    const killedAt = Date.now();
    await daemon.killHard();
    hook.delayMs = 0;
    for (const p of daemon.polls()) if (p.loggedAt < killedAt - FLUSH_MS - 300) safePolls.push(p);
    const spooled = spooledPoints(spoolDir);
    for (const key of spooled) spooledAtKills.add(key);
    const journal = readJournal(journalFile);
    const settled = new Set(journal.filter((r) => r.t === 'done' || r.t === 'failed').map((r) => r.id as string));
    const outbox = new Set(journal.filter((r) => r.t === 'out').map((r) => (r.entry as { id: string }).id).filter((id) => !settled.has(id)));

    daemon = new WatchedDaemon(room.file, env);
    await daemon.waitFor('roomwatch running');
    const restored = daemon.lines.find((l) => l.msg === 'alert state restored');
    if (outbox.size && restored?.outbox !== outbox.size) problems.push(`kill ${kill}: outbox ${outbox.size} in the journal, ${String(restored?.outbox)} restored`);
    const spoolLine = daemon.lines.find((l) => l.msg === 'spool holds points from an earlier run');
    if (spooled.length && spoolLine?.points !== spooled.length) problems.push(`kill ${kill}: ${spooled.length} points in the spool, ${String(spoolLine?.points)} restored`);
    const { body: after } = await api<{ active: ApiAlert[]; recent: ApiAlert[] }>('GET', '/api/alerts');
    const known = new Map([...after.recent, ...after.active].map((a) => [a.id, a]));
    for (const alert of before.active) {
      const now = known.get(alert.id);
      if (!now) problems.push(`kill ${kill}: alert ${alert.id} (${alert.key}) lost`);
      else if (alert.ack && now.ack?.by !== alert.ack.by) problems.push(`kill ${kill}: ack of ${alert.id} lost`);
    }
    for (const [id, by] of acked) {
      const now = known.get(id);
      if (now && now.ack?.by !== by) problems.push(`kill ${kill}: ack of ${id} by ${by} lost`);
    }
    const { body: listed } = await api<Array<{ id: string }>>('GET', '/api/silences');
    for (const id of silences) if (!listed.some((s) => s.id === id)) problems.push(`kill ${kill}: silence ${id} lost`);
  }

  // Calm down: clear every fault, let the outbox empty, stop cleanly.
  for (const id of active) {
    const [kind, target] = id.split(':') as [string, string];
    await fault(controlPort, 'clear', kind, target);
  }
  await eventually(async () => {
    const { body } = await api<{ outbox: number }>('GET', '/api/health');
    return body.outbox === 0 || undefined;
  }, 60_000, 'an empty outbox');
  await sleep(2000);
  const lastStop = Date.now();
  expect(await daemon.stop(), 'the daemon stops on SIGTERM').toBe(true);
  for (const p of daemon.polls()) if (p.loggedAt < lastStop) safePolls.push(p);
  expect(spooledPoints(spoolDir)).toEqual([]);

  // Notifications: every one queued in the journal reached its receiver at least once.
  const journal = readJournal(journalFile);
  const queued = journal.filter((r) => r.t === 'out').map((r) => r.entry as { id: string; receiver: string });
  const failed = journal.filter((r) => r.t === 'failed');
  const received = new Map<string, number>();
  for (const d of hook.deliveries) received.set(d.key, (received.get(d.key) ?? 0) + 1);
  for (const m of mail.mails) {
    const header = m.headers.get('x-roomwatch-notification');
    const key = typeof header === 'string' ? header : '';
    received.set(key, (received.get(key) ?? 0) + 1);
  }
  const undelivered = queued.filter((q) => !received.has(q.id)).map((q) => q.id);
  const repeats = (receiver: string) => queued.filter((q) => q.receiver === receiver).reduce((n, q) => n + Math.max(0, (received.get(q.id) ?? 0) - 1), 0);
  // No alert event was told twice under two keys (that a receiver could not drop).
  const keysByEvent = new Map<string, Set<string>>();
  for (const d of hook.deliveries.filter((x) => x.path === '/alertmanager')) {
    for (const a of (d.body as { alerts: Array<{ fingerprint: string; annotations: { event: string } }> }).alerts) {
      const event = `${a.fingerprint}:${a.annotations.event}`;
      keysByEvent.set(event, (keysByEvent.get(event) ?? new Set()).add(d.key));
    }
  }
  const toldTwice = [...keysByEvent.entries()].filter(([, keys]) => keys.size > 1).map(([event]) => event);

  // Points: every poll handed to the sink more than a flush interval before a kill, and every
  // point found in the spool after a kill, is in InfluxDB, once.
  const rows = await influxd.query<{ time: number; device: string }>('sim', 'SELECT "comms", "device" FROM "device_health"');
  const health = new Map<string, number>();
  for (const row of rows) health.set(`${row.device}@${row.time}`, (health.get(`${row.device}@${row.time}`) ?? 0) + 1);
  const missingPolls = safePolls.filter((p) => !health.has(`${p.device}@${p.time}`));
  const spooledHealth = [...spooledAtKills].filter((k) => k.startsWith('device_health|'));
  const missingSpooled = spooledHealth.filter((k) => {
    const [, device, ts] = k.split('|');
    return !health.has(`${device}@${ts}`);
  });

  const figures = {
    seed: SEED,
    kills: KILLS,
    kill_phases: phases,
    acks: acked.size,
    silences: silences.length,
    notifications_expected: queued.length,
    notifications_delivered: queued.length - undelivered.length,
    notifications_failed: failed.length,
    deliveries_total: [...received.values()].reduce((a, b) => a + b, 0),
    duplicates_email_same_message_id: repeats('duty-mail'),
    duplicates_webhook_same_idempotency_key: repeats('noc-hook'),
    duplicates_wecom_not_deduplicable: repeats('wecom-group'),
    alert_events_told_under_two_keys: toldTwice.length,
    polls_expected: safePolls.length,
    polls_present: safePolls.length - missingPolls.length,
    points_spooled_at_kills: spooledAtKills.size,
    spooled_health_points_present: spooledHealth.length - missingSpooled.length,
    device_health_duplicated: [...health.values()].filter((n) => n > 1).length,
  };
  printFigures('kill9', figures);
  expect(problems).toEqual([]);
  expect(undelivered).toEqual([]);
  expect(failed).toEqual([]);
  expect(toldTwice).toEqual([]);
  expect(missingPolls.slice(0, 5)).toEqual([]);
  expect(missingSpooled.slice(0, 5)).toEqual([]);
  expect(figures.device_health_duplicated).toBe(0);
  expect(queued.length).toBeGreaterThan(KILLS / 2);
  expect(spooledAtKills.size).toBeGreaterThan(0);
});
