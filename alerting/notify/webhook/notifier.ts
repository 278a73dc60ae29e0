import { jsonBody, postJson } from '../http.js';
import { type Notifier, type NotifierDefinition, type OutboundMessage } from '../notifier.js';
import { renderAlertmanager } from './render.js';
import { WebhookKeys, type WebhookSettings } from './schema.js';

/** Posts Alertmanager's webhook payload; the HTTP status alone says whether it arrived (see http.ts). */
export class WebhookNotifier implements Notifier {
  readonly id: string;

  constructor(private readonly receiver: WebhookSettings) {
    this.id = receiver.id;
  }

  async send(message: OutboundMessage, key: string): Promise<void> {
    await postJson(this.receiver, this.receiver.url.reveal(), jsonBody(message), key);
  }
}

export const webhook: NotifierDefinition<typeof WebhookKeys, WebhookSettings> = {
  type: 'webhook',
  summary: 'webhook (Alertmanager format)',
  schema: WebhookKeys,
  compile: (input, base, ctx) => ({ ...base, type: 'webhook', url: ctx.secret(input.url, ['url']) }),
  // The notification id is the groupKey, so a receiver can drop a message it already has.
  render: (events, context, ids) => ({ type: 'json', body: renderAlertmanager(events, context, ids.receiver, ids.notification) }),
  create: (settings) => new WebhookNotifier(settings),
};
