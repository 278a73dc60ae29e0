import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../../test/helpers/delivery.js';
import type { AlertEvent } from '../../alerts.js';
import { compileReceivers } from '../../config/receivers.js';
import { Receiver } from '../../config/schema.js';
import type { DeviceSpec } from '../../../common/contracts/device.js';
import { Secret } from '../../../common/config/secret.js';
import { validateAgainst } from '../../../common/config/validate.js';
import { YamlSource } from '../../../common/config/yaml-source.js';
import { Directory } from '../directory.js';
import { createNotifier, notifierFor } from '../registry.js';
import type { FeishuSettings } from './schema.js';

const SECRET = 'feishu-bot-secret-7Qx';
const HOUR_S = 3600;

interface Seen {
  path: string;
  body: Record<string, unknown>;
}

/**
 * Stands in for open.feishu.cn's custom-bot endpoint: it recomputes the signature from its own copy
 * of the secret and refuses timestamps more than an hour from its own clock, answering as Feishu
 * does (HTTP 200, `code` 19021). /limited answers Feishu's frequency limit, 11232.
 */
const seen: Seen[] = [];
let server: Server;
let port = 0;

function feishuAnswer(path: string, body: Record<string, unknown>): { code: number; msg: string; data?: object } {
  if (path.endsWith('/limited')) return { code: 11232, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]' };
  const timestamp = typeof body.timestamp === 'string' ? Number(body.timestamp) : NaN;
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > HOUR_S) return { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' };
  const expected = createHmac('sha256', `${body.timestamp as string}\n${SECRET}`).update('').digest();
  const given = Buffer.from(typeof body.sign === 'string' ? body.sign : '', 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' };
  if (body.msg_type !== 'interactive' || typeof body.card !== 'object') return { code: 9499, msg: 'Bad Request' };
  return { code: 0, msg: 'success', data: {} };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const body = JSON.parse(text) as Record<string, unknown>;
      seen.push({ path, body });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(feishuAnswer(path, body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const bot = (path: string, secret = SECRET): FeishuSettings => ({
  id: 'feishu-duty', type: 'feishu', language: 'zh-CN', timeoutMs: 2000,
  url: new Secret(`http://127.0.0.1:${port}/open-apis/bot/v2/hook${path}`), secret: new Secret(secret),
});

const directory = new Directory({
  sites: [{ id: 'county-a', name: '县公司', rooms: [{ id: 'main', name: '主机房' }] }] as never,
  devices: [{ id: 'ups-1', name: 'UPS-1', site: 'county-a', room: 'main', template: { name: 'ups-rfc1628', points: [{ measurement: 'ups', field: 'battery_minutes', unit: 'min' }] } }] as unknown as DeviceSpec[],
});
const onBattery = (kind: AlertEvent['kind']): AlertEvent => ({
  kind,
  at: Date.UTC(2026, 10, 22, 2, 0),
  alert: {
    id: '3f9c2a1b00', key: 'k', rule: 'ups_battery_low', severity: 'critical', summary: { en: 'battery runtime low', 'zh-CN': '电池剩余时间不足' },
    source: 'RFC 1628 upsEstimatedMinutesRemaining', device: 'ups-1', labels: {}, status: kind === 'resolved' ? 'resolved' : 'firing', flapping: false,
    value: 4, threshold: '< 5', measurement: 'ups', field: 'battery_minutes', firingSince: Date.UTC(2026, 10, 22, 2, 0),
    resolvedAt: kind === 'resolved' ? Date.UTC(2026, 10, 22, 2, 30) : undefined, notes: [], tiers: [],
  },
});
const render = (language: 'zh-CN' | 'en', events: AlertEvent[]) =>
  notifierFor('feishu').render(events, { language, directory, timeZone: 'Asia/Shanghai' }, { receiver: 'feishu-duty', notification: 'feishu-duty-abc' });


describe('Feishu bot notifier', () => {
  it('posts a signed interactive card that a bot checking the signature accepts', async () => {
    const message = render('zh-CN', [onBattery('opened')]);
    await createNotifier(bot('/ok')).send(message, 'feishu-duty-abc');
    const request = seen.at(-1)!;
    expect(request.path).toBe('/open-apis/bot/v2/hook/ok');
    expect(request.body.timestamp).toMatch(/^\d{10}$/);
    expect(request.body).toMatchObject({
      msg_type: 'interactive',
      card: { header: { template: 'red', title: { tag: 'plain_text', content: '[告警][紧急] UPS-1 电池剩余时间不足' } } },
    });
    const content = JSON.stringify(request.body.card);
    expect(content).toContain('县公司 / 主机房 / UPS-1');
    expect(content).toContain('4 min');
    expect(content).toContain('roomwatch alerts ack 3f9c2a1b00 --by <姓名>');
  });

  it('speaks English when the receiver does, and a resolved card is green', () => {
    const message = render('en', [onBattery('resolved')]);
    expect(message).toMatchObject({ type: 'json', body: { card: { header: { template: 'green', title: { content: '[RESOLVED][CRITICAL] UPS-1 battery runtime low' } } } } });
    expect(JSON.stringify(message)).toContain('Lasted: 30 min');
  });

  it('groups several events into one card with a count in the title', () => {
    const message = render('en', [onBattery('opened'), onBattery('resolved')]) as { body: { card: { header: { title: { content: string } }; elements: Array<{ tag: string }> } } };
    expect(message.body.card.header.title.content).toBe('[ALERT][CRITICAL] UPS-1 battery runtime low (+1 more) — 2 alert changes in 县公司/主机房');
    expect(message.body.card.elements.map((e) => e.tag)).toEqual(['div', 'hr', 'div']);
  });

  it('is refused for good when the signature or the clock is wrong', async () => {
    const wrongSecret = await failure(createNotifier(bot('/ok', 'not-the-secret')).send(render('en', [onBattery('opened')]), 'k1'));
    expect(wrongSecret.retryable).toBe(false);
    expect(wrongSecret.message).toContain('code 19021');
    // This host's wall clock two hours slow: Feishu refuses the timestamp, and so does our stand-in.
    const slow = createNotifier(bot('/ok'), { wall: () => Date.now() - 2 * HOUR_S * 1000 });
    const stale = await failure(slow.send(render('en', [onBattery('opened')]), 'k2'));
    expect(stale.retryable).toBe(false);
    expect(seen.at(-1)!.body.timestamp).toBe(String(Math.floor((Date.now() - 2 * HOUR_S * 1000) / 1000)));
  });

  it('retries when Feishu limits the rate, and no error names the secret or the hook token', async () => {
    const limited = await failure(createNotifier(bot('/limited')).send(render('en', [onBattery('opened')]), 'k3'));
    expect(limited.retryable).toBe(true);
    const refused = await failure(createNotifier(bot('/ok', 'not-the-secret')).send(render('en', [onBattery('opened')]), 'k4'));
    for (const error of [limited, refused]) {
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('not-the-secret');
      expect(error.message).not.toContain('/open-apis/bot/v2/hook');
    }
  });
});

describe('a feishu receiver in the config', () => {
  const yaml = [
    'receivers:',
    '  - { id: lark, type: feishu, url: { env: FEISHU_HOOK }, secret: { env: FEISHU_SECRET } }',
    '  - { id: lark-nourl, type: feishu, sign: x }',
  ].join('\n');

  it('is a known type, and its own keys are checked with located messages', () => {
    const source = new YamlSource('alerting.yaml', yaml);
    const inputs = (source.value as { receivers: Array<Record<string, unknown>> }).receivers;
    expect(inputs.flatMap((r, i) => validateAgainst(Receiver, r, source, ['receivers', i]))).toEqual([]);
    const issues: ReturnType<YamlSource['issueAt']>[] = [];
    const env: Record<string, string> = { FEISHU_HOOK: 'https://open.feishu.cn/open-apis/bot/v2/hook/t0ken', FEISHU_SECRET: SECRET };
    const receivers = compileReceivers(inputs as never, {
      source, path: ['receivers'], baseDir: '/', language: 'zh-CN', issues,
      resolveSecret: (value) => new Secret(typeof value === 'string' ? value : env[value.env]!),
    });
    expect(receivers).toHaveLength(1);
    expect(receivers[0]).toMatchObject({ id: 'lark', type: 'feishu', language: 'zh-CN', timeoutMs: 10_000 });
    expect(issues.map((i) => `${i.line}: ${i.message}`)).toEqual([
      '3: a feishu receiver needs "url"',
      '3: unknown key "sign"; expected one of: id, type, language, timeout, url, secret',
    ]);
  });
});
