import { createHmac } from 'node:crypto';
import type { ReceiverSettings } from '../../collector/config/load.js';
import { DeliveryError, type Notifier, type OutboundMessage } from './notifier.js';

/**
 * HTTP notifiers: a generic JSON webhook (Alertmanager's payload), WeCom (企业微信) and DingTalk
 * (钉钉) group robots. The robots answer HTTP 200 with an error code in the body; rate limiting
 * and server errors are worth retrying, bad keys and bad payloads are not.
 */
export class WebhookNotifier implements Notifier {
  readonly id: string;

  constructor(private readonly receiver: ReceiverSettings, private readonly now: () => number = Date.now) {
    this.id = receiver.id;
  }

  async send(message: OutboundMessage, key: string): Promise<void> {
    if (message.type !== 'json') throw new DeliveryError('a webhook receiver got an e-mail message', false);
    const url = this.#url();
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(message.body),
        signal: AbortSignal.timeout(this.receiver.timeoutMs),
      });
    } catch (error) {
      throw new DeliveryError(`${this.receiver.type} ${this.receiver.id}: ${(error as Error).message}`, true);
    }
    const text = await response.text();
    if (response.status === 429 || response.status >= 500) throw new DeliveryError(`${this.receiver.id}: HTTP ${response.status}`, true);
    if (!response.ok) throw new DeliveryError(`${this.receiver.id}: HTTP ${response.status} ${text.slice(0, 200)}`, false);
    if (this.receiver.type === 'wecom' || this.receiver.type === 'dingtalk') {
      let code = 0;
      try {
        code = (JSON.parse(text) as { errcode?: number }).errcode ?? 0;
      } catch {
        throw new DeliveryError(`${this.receiver.id}: answer is not JSON`, true);
      }
      // 45009 WeCom "api freq out of limit", 130101 DingTalk "send too fast": wait and retry.
      if (code === 45009 || code === 130101) throw new DeliveryError(`${this.receiver.id}: rate limited (errcode ${code})`, true);
      if (code !== 0) throw new DeliveryError(`${this.receiver.id}: errcode ${code} ${text.slice(0, 200)}`, false);
    }
  }

  /** DingTalk robots with "加签" need timestamp and HMAC-SHA256 signature of "timestamp\nsecret". */
  #url(): string {
    const url = this.receiver.url!.reveal();
    if (this.receiver.type !== 'dingtalk' || !this.receiver.secret) return url;
    const timestamp = String(this.now());
    const secret = this.receiver.secret.reveal();
    const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    return `${url}${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`;
  }
}
