import { createHmac } from 'node:crypto';
import { checkRobotAnswer, jsonBody, postJson } from '../http.js';
import { type Notifier, type NotifierDefinition, type OutboundMessage } from '../notifier.js';
import { renderDingtalk } from './render.js';
import { DingtalkKeys, type DingtalkSettings } from './schema.js';

// 130101 "send too fast": the robot takes 20 messages a minute; waiting is the cure.
const RATE_LIMITED = [130101];

/** A DingTalk group robot: HTTP 200 even on refusal, with the verdict in `errcode`. */
export class DingtalkNotifier implements Notifier {
  readonly id: string;

  constructor(private readonly receiver: DingtalkSettings, private readonly wall: () => number = Date.now) {
    this.id = receiver.id;
  }

  async send(message: OutboundMessage, key: string): Promise<void> {
    const answer = await postJson(this.receiver, this.#url(), jsonBody(message), key);
    checkRobotAnswer(this.receiver, answer, 'errcode', RATE_LIMITED);
  }

  /**
   * Robots with "加签" need the timestamp (ms) and HMAC-SHA256 of "timestamp\nsecret" in the query.
   * DingTalk compares the timestamp with its own clock, so it is wall-clock time, not steady time.
   */
  #url(): string {
    const url = this.receiver.url.reveal();
    if (!this.receiver.secret) return url;
    const timestamp = String(this.wall());
    const secret = this.receiver.secret.reveal();
    const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    return `${url}${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`;
  }
}

export const dingtalk: NotifierDefinition<typeof DingtalkKeys, DingtalkSettings> = {
  type: 'dingtalk',
  summary: 'dingtalk',
  schema: DingtalkKeys,
  compile: (input, base, ctx) => ({
    ...base,
    type: 'dingtalk',
    url: ctx.secret(input.url, ['url']),
    secret: input.secret === undefined ? undefined : ctx.secret(input.secret, ['secret']),
  }),
  render: (events, context) => ({ type: 'json', body: renderDingtalk(events, context) }),
  create: (settings, deps) => new DingtalkNotifier(settings, deps.wall),
};
