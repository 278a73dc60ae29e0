import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { SimClock } from '../../mocks/sim/clock.js';
import { RoomSimulator } from '../../mocks/sim/room-simulator.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';
import { eventually, startDaemon, type Child } from '../helpers/processes.js';
import { MailCatcher } from '../helpers/receivers.js';
import { SIM_ROOM_API, writeSimRoom } from '../helpers/sim-room.js';

/**
 * The console in Debian's chromium against the real daemon: a simulated water leak appears in the
 * open overview without a reload, the mail's link opens the alert's page, the acknowledgement
 * made there is what the API and the history (InfluxDB alert_events) record. Screenshots at desktop
 * and phone width go to test-artifacts/. The duty engineer logs in as an operator (acknowledging
 * and silencing need one); the test reads the API back as the test viewer.
 */
const influxd = new TestInfluxd();
const OPERATOR = 'duty-operator';
const OPERATOR_TOKEN = 'console-operator-token-0123456789abcdef';
const ARTIFACTS = 'test-artifacts';
let mail: MailCatcher;
let simulator: RoomSimulator;
let daemon: Child;
let browser: Browser;
let base = '';

const apiGet = <T>(path: string): Promise<T> => apiJson<T>(`${base}${path}`);

beforeAll(async () => {
  await influxd.start();
  const room = await writeSimRoom(influxd.url, 1);
  mail = new MailCatcher(await freePort());
  await mail.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  writeFileSync(
    room.file,
    readFileSync(room.file, 'utf8').replace(
      SIM_ROOM_API,
      `${apiSection(`127.0.0.1:${port}`, undefined, [{ name: OPERATOR, role: 'operator', token: OPERATOR_TOKEN }])}
alerting:
  state_dir: alerts
  group_wait: 1s
  console_url: ${base}
  receivers:
    - { id: duty-mail, type: email, language: zh-CN, from: roomwatch@example.com, to: [duty@example.com], smtp: { host: 127.0.0.1, port: ${mail.port}, security: none }, timeout: 3s }`,
    ),
  );
  simulator = new RoomSimulator(room.config, new SimClock(1), 11);
  await simulator.start();
  daemon = startDaemon(room.file);
  await daemon.waitFor('roomwatch running');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  await simulator?.stop();
  await mail?.stop();
  await influxd.destroy();
});

/**
 * Logs in as the operator through the console's login page (POST /api/session with the token): the
 * browser context holds the session cookie from then on, and sends no token of its own.
 */
async function logIn(context: BrowserContext, page: Page): Promise<void> {
  // Before logging in, the console's data is closed: the overview sends the browser to the login page.
  await page.goto(`${base}/`);
  await page.waitForURL(`${base}/login?next=${encodeURIComponent('/')}`);
  await page.fill('input[name=token]', OPERATOR_TOKEN);
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session' && r.request().method() === 'POST');
  await page.click('form.login button[type=submit]');
  expect((await answered).status()).toBe(204);
  await page.waitForURL(`${base}/`);
  const cookie = (await context.cookies(base)).find((c) => c.name === 'roomwatch_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  expect(await (await context.request.get(`${base}/api/session`)).json()).toEqual({ name: OPERATOR, role: 'operator' });
}

/** The console's write went with the session cookie and the X-Roomwatch-Request header, and no token. */
function sentWithSession(headers: Record<string, string>): void {
  expect(headers['x-roomwatch-request']).toBe('1');
  expect(headers.cookie).toMatch(/(^|; )roomwatch_session=/);
  expect(headers.authorization).toBeUndefined();
}

describe('the web console', () => {
  it('shows a new leak live, opens from the mail link, and records an acknowledgement with its note', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await logIn(context, page);
    await page.locator('.live', { hasText: '实时 · 时区 Asia/Shanghai' }).waitFor();
    // Set after the page loaded: still there later means the alert came without a reload.
    await page.evaluate('window.marker = "same page"');

    simulator.inject('water_leak', 'leak-1');
    const row = page.locator('li.alert', { hasText: '检测到漏水' });
    await row.waitFor({ timeout: 20_000 });
    expect(await page.evaluate('window.marker')).toBe('same page');
    // A critical alert that arrived while watching stands out.
    await expect.poll(() => row.getAttribute('class')).toContain('fresh');
    expect(await row.locator('.sev').textContent()).toBe('紧急');
    expect(await row.locator('.value').textContent()).toBe('检测到漏水');
    expect(await page.locator('section.room h2').first().textContent()).toContain('site-1 / room-1');
    await page.screenshot({ path: `${ARTIFACTS}/console-overview-desktop.png`, fullPage: true });

    const leakMail = await eventually(() => mail.mails.find((m) => (m.subject ?? '').includes('检测到漏水')), 20_000, 'the leak e-mail');
    const link = /查看: (\S+)/.exec(leakMail.text ?? '')?.[1];
    const id = await row.getAttribute('data-alert');
    expect(link).toBe(`${base}/alerts/${id}`);

    await page.goto(link!);
    await page.locator('h1', { hasText: '检测到漏水' }).waitFor();
    expect(await page.locator('.status').first().getAttribute('data-status')).toBe('firing');
    // Dates in the browser's time zone: the alert's start as a Shanghai clock reads it.
    const { firingSince } = await apiGet<{ firingSince: number }>(`/api/alerts/${id}`);
    const local = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(firingSince);
    expect(await page.locator('.facts dd', { hasText: local }).count()).toBe(1);
    await page.fill('.ack-form input[name=by]', '张工');
    await page.fill('.ack-form textarea[name=note]', '已派人到现场处理');
    // The same cookie without the header is what a cross-site form could send: refused.
    const forged = await context.request.post(`${base}/api/alerts/${id}/ack`, { data: { by: '张工' } });
    expect([forged.status(), ((await forged.json()) as { code: string }).code]).toEqual([403, 'FORBIDDEN']);
    const ackSent = page.waitForRequest((r) => r.url() === `${base}/api/alerts/${id}/ack` && r.method() === 'POST');
    const ackAnswered = page.waitForResponse((r) => r.url() === `${base}/api/alerts/${id}/ack` && r.request().method() === 'POST');
    await page.click('.ack-form button[type=submit]');
    sentWithSession(await (await ackSent).allHeaders());
    expect((await ackAnswered).status()).toBe(200);
    await page.locator('.status[data-status=acknowledged]').waitFor();
    expect(await page.locator('.ack-note').textContent()).toBe('已派人到现场处理');
    // Its timeline (GET /api/alerts/:id/timeline) and the readings around it (GET /api/alerts/:id/readings, InfluxDB).
    await page.locator('.timeline li', { hasText: '确认 · 张工' }).waitFor();
    expect(await page.locator('.timeline li', { hasText: '告警' }).count()).toBe(1);
    await page.locator('.readings figure.series figcaption', { hasText: 'leak_detected' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/console-alert-desktop.png`, fullPage: true });

    const alert = await apiGet<{ status: string; ack?: { by: string; note?: string } }>(`/api/alerts/${id}`);
    expect(alert).toMatchObject({ status: 'acknowledged', ack: { by: '张工', note: '已派人到现场处理' } });
    const rows = await eventually(async () => {
      const found = await influxd.query<{ event: string; ack_by: string }>('sim', `SELECT alert_id, event, ack_by FROM events.alert_events WHERE alert_id = '${id}'`);
      return found.some((r) => r.event === 'acknowledged') ? found : undefined;
    }, 20_000, 'the acknowledgement in alert_events');
    expect(rows.find((r) => r.event === 'acknowledged')!.ack_by).toBe('张工');

    // Silence only this rule on this device for 4 h, from the same page; it is listed, then expired.
    await page.selectOption('.silence-form select[name=scope]', 'rule');
    await page.selectOption('.silence-form select[name=hours]', '4');
    await page.fill('.silence-form input[name=reason]', '更换漏水感应绳');
    expect(await page.inputValue('.silence-form input[name=author]')).toBe('张工');
    const silenceSent = page.waitForRequest((r) => r.url() === `${base}/api/silences` && r.method() === 'POST');
    await page.click('.silence-form button[type=submit]');
    sentWithSession(await (await silenceSent).allHeaders());
    await page.locator('.silence-form .result', { hasText: '已屏蔽至' }).waitFor();
    const [silence] = await apiGet<Array<{ id: string; matchers: Record<string, string>; author: string; reason: string; startsAt: number; endsAt: number }>>('/api/silences');
    expect(silence).toMatchObject({ matchers: { device: 'leak-1', rule: 'water_leak' }, author: '张工', reason: '更换漏水感应绳' });
    expect(Math.round((silence!.endsAt - silence!.startsAt) / 3_600_000)).toBe(4);
    await page.goto(`${base}/silences`);
    await page.locator(`tr[data-silence="${silence!.id}"]`, { hasText: '更换漏水感应绳' }).waitFor();
    const expirySent = page.waitForRequest((r) => r.url() === `${base}/api/silences/${silence!.id}` && r.method() === 'DELETE');
    await page.click(`tr[data-silence="${silence!.id}"] button`);
    sentWithSession(await (await expirySent).allHeaders());
    await page.locator('.empty', { hasText: '没有生效的屏蔽' }).waitFor();
    expect(await apiGet<unknown[]>('/api/silences')).toEqual([]);

    // The room's devices (GET /api/devices): the leak sensor's card, polled, with its reading.
    await page.goto(`${base}/rooms/site-1/room-1`);
    const card = page.locator('article.device[data-device="leak-1"]');
    await card.waitFor();
    expect(await page.locator('main h1').textContent()).toBe('site-1 / room-1');
    expect(await card.getAttribute('class')).toContain('device-up');
    await card.locator('.readings th', { hasText: 'leak_detected' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/console-room-desktop.png`, fullPage: true });

    // The history page (GET /api/history, alert_events in InfluxDB): the acknowledgement's row, who took it, and the opening.
    await page.goto(`${base}/history?device=leak-1`);
    const acknowledged = page.locator(`tr[data-alert="${id}"][data-event=acknowledged]`);
    await acknowledged.locator('.ack-by', { hasText: '张工' }).waitFor();
    expect(await acknowledged.locator('td').nth(3).textContent()).toContain('leak-1');
    expect(await acknowledged.locator('td').nth(4).textContent()).toBe('water_leak');
    expect(await page.locator(`tr[data-alert="${id}"][data-event=opened]`).count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/console-history-desktop.png`, fullPage: true });

    // Back on the overview, the acknowledged alert says who took it and why.
    await page.goto(`${base}/`);
    await page.locator(`li[data-alert="${id}"] .ack`, { hasText: '张工' }).waitFor();
    expect(await page.locator(`li[data-alert="${id}"] .ack q`).textContent()).toBe('已派人到现场处理');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('fits a phone (375 px) and speaks English when switched', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await logIn(context, page);
    const row = page.locator('li.alert', { hasText: '检测到漏水' });
    await row.waitFor();
    // Nothing wider than the screen: no sideways scrolling on the duty phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${ARTIFACTS}/console-overview-phone.png`, fullPage: true });
    await page.click('header button.lang');
    await page.locator('li.alert', { hasText: 'Water leak detected' }).waitFor();
    expect(await page.locator('header nav a').first().textContent()).toBe('Active alerts');
    await page.click('li.alert a');
    await page.locator('h1', { hasText: 'Water leak detected' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${ARTIFACTS}/console-alert-phone.png`, fullPage: true });
    // The choice is remembered: a new page load stays in English.
    await page.reload();
    await page.locator('h1', { hasText: 'Water leak detected' }).waitFor();
    await context.close();
  });
});
