import { createHmac } from 'node:crypto';
import { checkRobotAnswer, jsonBody, postJson } from '../http.js';
import { type Notifier, type NotifierDefinition, type OutboundMessage } from '../notifier.js';
import { renderFeishuCard } from './render.js';
import { FeishuKeys, type FeishuSettings } from './schema.js';

// 11232: Feishu's "frequency limited" (a bot takes 100 messages a minute, 5 a second); waiting is
// the cure. Every other non-zero code (19021 bad signature or stale timestamp, 19024 keyword
// check, 9499 bad request) means this request can never succeed as it is.
const RATE_LIMITED = [11232];

/**
 * A Feishu custom bot. Like the other robots it answers HTTP 200 with its verdict in the body
 * (`code`). With a secret the body carries `timestamp` (seconds) and `sign`, which Feishu checks
 * against its own clock, so the timestamp is wall-clock time.
 */
export class FeishuNotifier implements Notifier {
  readonly id: string;

  constructor(private readonly receiver: FeishuSettings, private readonly wall: () => number = Date.now) {
    this.id = receiver.id;
  }

  async send(message: OutboundMessage, key: string): Promise<void> {
    const payload = jsonBody(message);
    const body = this.receiver.secret ? { ...signature(this.receiver.secret.reveal(), this.wall()), ...(payload as object) } : payload;
    const answer = await postJson(this.receiver, this.receiver.url.reveal(), body, key);
    checkRobotAnswer(this.receiver, answer, 'code', RATE_LIMITED);
  }
}

/**
 * Feishu's bot signature: HMAC-SHA256 keyed with "<timestamp>\n<secret>" over an empty message,
 * base64. Computed at send time, not render time: a message waiting in the outbox would go stale.
 */
export function signature(secret: string, wallMs: number): { timestamp: string; sign: string } {
  const timestamp = String(Math.floor(wallMs / 1000));
  const sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
  return { timestamp, sign };
}

export const feishu: NotifierDefinition<typeof FeishuKeys, FeishuSettings> = {
  type: 'feishu',
  summary: 'feishu',
  schema: FeishuKeys,
  compile: (input, base, ctx) => ({
    ...base,
    type: 'feishu',
    url: ctx.secret(input.url, ['url']),
    secret: input.secret === undefined ? undefined : ctx.secret(input.secret, ['secret']),
  }),
  render: (events, context) => ({ type: 'json', body: renderFeishuCard(events, context) }),
  create: (settings, deps) => new FeishuNotifier(settings, deps.wall),
};
