import { checkRobotAnswer, jsonBody, postJson } from '../http.js';
import { type Notifier, type NotifierDefinition, type OutboundMessage } from '../notifier.js';
import { renderWecom } from './render.js';
import { WecomKeys, type WecomSettings } from './schema.js';

// 45009 "api freq out of limit": the robot takes 20 messages a minute; waiting is the cure.
const RATE_LIMITED = [45009];

/** A WeCom group robot: HTTP 200 even on refusal, with the verdict in `errcode`. */
export class WecomNotifier implements Notifier {
  readonly id: string;

  constructor(private readonly receiver: WecomSettings) {
    this.id = receiver.id;
  }

  async send(message: OutboundMessage, key: string): Promise<void> {
    const answer = await postJson(this.receiver, this.receiver.url.reveal(), jsonBody(message), key);
    checkRobotAnswer(this.receiver, answer, 'errcode', RATE_LIMITED);
  }
}

export const wecom: NotifierDefinition<typeof WecomKeys, WecomSettings> = {
  type: 'wecom',
  summary: 'wecom',
  schema: WecomKeys,
  compile: (input, base, ctx) => ({ ...base, type: 'wecom', url: ctx.secret(input.url, ['url']) }),
  render: (events, context) => ({ type: 'json', body: renderWecom(events, context) }),
  create: (settings) => new WecomNotifier(settings),
};
