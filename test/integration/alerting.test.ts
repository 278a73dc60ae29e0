import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { SimClock } from '../../mocks/sim/clock.js';
import { RoomSimulator } from '../../mocks/sim/room-simulator.js';
import { eventually, sleep, startDaemon, type Child } from '../helpers/processes.js';
import { HookCatcher, MailCatcher } from '../helpers/receivers.js';
import { SIM_ROOM_API, writeSimRoom, type SimRoom } from '../helpers/sim-room.js';
import { apiFetch, apiJson, apiSection } from '../helpers/api-auth.js';

// Simulated faults → real collector → alerting → real SMTP (STARTTLS, self-signed CA) and real
// HTTP receivers on loopback. The daemon is a separate process, killed and restarted as in life.
const influxd = new TestInfluxd();
const hooks = new HookCatcher('ding-secret');
let mail: MailCatcher;
let room: SimRoom;
let simulator: RoomSimulator;
let apiPort = 0;
let daemon: Child;
const TOKEN = 'test-token-0123456789';

function mailsAbout(text: string) {
  return mail.mails.filter((m) => (m.subject ?? '').includes(text));
}

beforeAll(async () => {
  await influxd.start();
  await hooks.listen();
  room = await writeSimRoom(influxd.url, 1);
  // A self-signed certificate for 127.0.0.1, trusted by the daemon through ca_file.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(room.dir, 'key.pem'), '-out', join(room.dir, 'cert.pem')], { stdio: 'ignore' });
  mail = new MailCatcher(await freePort(), { key: readFileSync(join(room.dir, 'key.pem')), cert: readFileSync(join(room.dir, 'cert.pem')) });
  await mail.start();
  apiPort = await freePort();
  const config = readFileSync(room.file, 'utf8').replace(
    SIM_ROOM_API,
    `${apiSection(`127.0.0.1:${apiPort}`, 'token: { env: TEST_API_TOKEN }')}
alerting:
  state_dir: alerts
  group_wait: 1s
  console_url: http://127.0.0.1:${apiPort}
  receivers:
    - { id: duty-mail, type: email, language: zh-CN, from: roomwatch@example.com, to: [duty@example.com], smtp: { host: 127.0.0.1, port: ${mail.port}, security: starttls, ca_file: cert.pem }, timeout: 3s }
    - { id: ops-hook, type: webhook, language: en, url: "http://127.0.0.1:${hooks.port}/alertmanager" }
    - { id: wecom-group, type: wecom, language: zh-CN, url: "http://127.0.0.1:${hooks.port}/wecom" }
    - { id: ding-group, type: dingtalk, language: en, url: "http://127.0.0.1:${hooks.port}/dingtalk?access_token=x", secret: ding-secret }`,
  );
  writeFileSync(room.file, config);
  simulator = new RoomSimulator(room.config, new SimClock(1), 3);
  await simulator.start();
  daemon = startDaemon(room.file, { TEST_API_TOKEN: TOKEN });
  await daemon.waitFor('roomwatch running');
  await sleep(2500);
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  await simulator?.stop();
  await mail?.stop();
  await hooks.close();
  await influxd.destroy();
});

describe('alerts from simulated faults reach people', () => {
  it('a water leak is mailed in Chinese and posted to the webhook, WeCom and signed DingTalk robots in their languages', async () => {
    simulator.inject('water_leak', 'leak-1');
    const [leakMail] = await eventually(() => (mailsAbout('检测到漏水').length ? mailsAbout('检测到漏水') : undefined), 15_000, 'the leak e-mail');
    expect(leakMail!.subject).toMatch(/^\[告警\]\[紧急\] leak-1 检测到漏水/);
    expect(leakMail!.text).toContain('位置: site-1 / room-1 / leak-1');
    // The leak is a state: its name, not "阈值: = 1"; what to do, and no internal reference.
    expect(leakMail!.text).toContain('当前状态: 检测到漏水');
    expect(leakMail!.text).not.toContain('阈值:');
    expect(leakMail!.text).toMatch(/处置建议:\n {4}1\. \S+/);
    expect(leakMail!.text).not.toMatch(/依据|DOMAIN\.md/);
    expect(leakMail!.text).toMatch(/开始时间: \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \(Asia\/Shanghai\)/);
    expect(leakMail!.text).toMatch(/确认命令: roomwatch alerts ack [0-9a-f]{10} --by <姓名>/);
    expect(leakMail!.html).toContain('<th style="text-align:left;padding:2px 12px 2px 0">级别</th><td>紧急</td>');

    const am = await eventually(() => hooks.requests.find((r) => r.path === '/alertmanager' && JSON.stringify(r.body).includes('water_leak')), 10_000, 'the webhook');
    const payload = am.body as { version: string; status: string; alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string> }> };
    expect(payload.version).toBe('4');
    expect(payload.status).toBe('firing');
    expect(payload.alerts[0]!.labels).toMatchObject({ alertname: 'water_leak', severity: 'critical', device: 'leak-1', site: 'site-1', room: 'room-1' });
    expect(payload.alerts[0]!.annotations.summary).toBe('Water leak detected');
    expect(am.headers['idempotency-key']).toMatch(/^ops-hook-/);
    const wecom = await eventually(() => hooks.requests.find((r) => r.path === '/wecom' && JSON.stringify(r.body).includes('漏水')), 10_000, 'the WeCom post');
    expect((wecom.body as { msgtype: string }).msgtype).toBe('markdown');
    const ding = await eventually(() => hooks.requests.find((r) => r.path === '/dingtalk' && JSON.stringify(r.body).includes('Water leak')), 10_000, 'the DingTalk post');
    expect(ding.query.get('sign')).toBeTruthy();

    // Acknowledge through the API (token required), then clear: a recovery mail follows.
    const { active } = (await apiJson<{ active: Array<{ id: string; rule: string }> }>(`http://127.0.0.1:${apiPort}/api/alerts`));
    const leak = active.find((a) => a.rule === 'water_leak')!;
    expect(leakMail!.text).toContain(`查看: http://127.0.0.1:${apiPort}/alerts/${leak.id}`);
    // The link opens the console's page of the alert: a public shell without data; the alert itself
    // comes from the API, to a caller with credentials (a viewer) and to no one else.
    const link = /查看: (\S+)/.exec(leakMail!.text ?? '')![1]!;
    const opened = await fetch(link);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`http://127.0.0.1:${apiPort}/api/alerts/${leak.id}`)).status).toBe(401);
    const shown = await apiFetch(`http://127.0.0.1:${apiPort}/api/alerts/${leak.id}`);
    expect(await shown.json()).toMatchObject({ id: leak.id, rule: 'water_leak', display: { 'zh-CN': { value: '检测到漏水', state: true } } });
    expect((await fetch(`http://127.0.0.1:${apiPort}/api/alerts/${leak.id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by: '张工' }) })).status).toBe(401);
    const ack = await fetch(`http://127.0.0.1:${apiPort}/api/alerts/${leak.id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ by: '张工', note: '已派人处理' }) });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ status: 'acknowledged', ack: { by: '张工', note: '已派人处理' } });
    simulator.faults.clear('water_leak', 'leak-1');
    const recovered = await eventually(() => mail.mails.find((m) => (m.subject ?? '').startsWith('[恢复][紧急] leak-1')), 15_000, 'the recovery e-mail');
    expect(recovered.text).toContain('持续:');
    expect(mailsAbout('检测到漏水').filter((m) => m.subject!.startsWith('[告警]'))).toHaveLength(1);
  });

  it('with SMTP down the mail waits in the outbox and arrives once when SMTP returns', async () => {
    await mail.stop();
    simulator.inject('fan_failure', 'crac-2');
    await daemon.waitFor(/notification not delivered; will retry[\s\S]*duty-mail|duty-mail[\s\S]*notification not delivered/, 20_000);
    await sleep(1000);
    await mail.start();
    const arrived = await eventually(() => (mailsAbout('精密空调风机故障').length ? mailsAbout('精密空调风机故障') : undefined), 40_000, 'the fan-failure mail after SMTP returned');
    await sleep(6000);
    expect(mailsAbout('精密空调风机故障').filter((m) => m.subject!.startsWith('[告警]'))).toHaveLength(arrived.length);
    expect(arrived).toHaveLength(1);
  });

  it('a daemon killed between firing and notifying sends exactly one notification after restart', async () => {
    await mail.stop();
    simulator.inject('water_leak', 'leak-1');
    // The alert fires and its mail is queued in the journal, but SMTP is away: kill now.
    await eventually(async () => {
      const { active } = (await apiJson<{ active: Array<{ rule: string; status: string }> }>(`http://127.0.0.1:${apiPort}/api/alerts`));
      return active.some((a) => a.rule === 'water_leak' && a.status === 'firing');
    }, 15_000, 'the second leak alert');
    await sleep(2000);
    daemon.process.kill('SIGKILL');
    await new Promise((resolve) => daemon.process.once('exit', resolve));
    const before = mailsAbout('检测到漏水').filter((m) => m.subject!.startsWith('[告警]')).length;
    await mail.start();
    daemon = startDaemon(room.file, { TEST_API_TOKEN: TOKEN });
    await daemon.waitFor('roomwatch running');
    await eventually(() => mailsAbout('检测到漏水').filter((m) => m.subject!.startsWith('[告警]')).length === before + 1, 30_000, 'the leak mail after restart');
    await sleep(5000);
    expect(mailsAbout('检测到漏水').filter((m) => m.subject!.startsWith('[告警]')).length).toBe(before + 1);
    const hookPosts = hooks.requests.filter((r) => r.path === '/alertmanager' && JSON.stringify(r.body).includes('water_leak') && (r.body as { status: string }).status === 'firing');
    expect(new Set(hookPosts.map((r) => r.headers['idempotency-key'])).size).toBe(hookPosts.length);
    simulator.faults.clear('water_leak', 'leak-1');
  });

  it('a leak that dried up unacknowledged stays active, latched, until someone acknowledges it; the ack sends its recovery', async () => {
    // The leak of the test before was cleared without an ack: the template latches water_leak.
    type Listed = { id: string; rule: string; status: string; value: number; latchedAt?: number };
    const latched = await eventually(async () => {
      const { active } = (await apiJson<{ active: Listed[] }>(`http://127.0.0.1:${apiPort}/api/alerts`));
      return active.find((a) => a.rule === 'water_leak' && a.latchedAt !== undefined);
    }, 15_000, 'the latched leak');
    expect(latched).toMatchObject({ status: 'firing', value: 0 });
    const recoveries = () => mail.mails.filter((m) => (m.subject ?? '').startsWith('[恢复][紧急] leak-1')).length;
    const before = recoveries();
    await sleep(3000);
    expect(recoveries(), 'no recovery while latched').toBe(before);
    const ack = await fetch(`http://127.0.0.1:${apiPort}/api/alerts/${latched.id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ by: '张工' }) });
    expect(await ack.json()).toMatchObject({ id: latched.id, status: 'resolved', ack: { by: '张工' } });
    await eventually(() => recoveries() === before + 1 || undefined, 15_000, 'the recovery e-mail after the ack');
  });

  it('alert transitions are written to InfluxDB for statistics', async () => {
    const rows = await eventually(async () => {
      const r = await influxd.query<{ rule: string; event: string }>('sim', `SELECT alert_id, rule, event FROM events.alert_events WHERE rule = 'water_leak'`);
      return r.some((x) => x.event === 'acknowledged') && r.some((x) => x.event === 'resolved') ? r : undefined;
    }, 20_000, 'alert events');
    expect(rows.map((r) => r.event)).toEqual(expect.arrayContaining(['opened', 'acknowledged', 'resolved']));
  });
});
