import { DeliveryError, type OutboundMessage } from './notifier.js';

/** Who is posting, for error messages and the per-attempt timeout. The URL itself is never quoted: it often holds the robot's key. */
export interface HttpSender {
  id: string;
  type: string;
  timeoutMs: number;
}

/** The body an HTTP receiver posts; an e-mail message routed to one is a wiring bug, never retried. */
export function jsonBody(message: OutboundMessage): unknown {
  if (message.type !== 'json') throw new DeliveryError('a webhook receiver got an e-mail message', false);
  return message.body;
}

/**
 * POSTs a JSON body and returns the answer's text when the far end accepted it (2xx). Failures
 * carry the retry decision every HTTP receiver shares: the network, 429 and 5xx are worth another
 * try; any other status means the request itself is wrong, and sending it again cannot help.
 */
export async function postJson(sender: HttpSender, url: string, body: unknown, key: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(sender.timeoutMs),
    });
  } catch (error) {
    throw new DeliveryError(`${sender.type} ${sender.id}: ${(error as Error).message}`, true);
  }
  const text = await response.text();
  if (response.status === 429 || response.status >= 500) throw new DeliveryError(`${sender.id}: HTTP ${response.status}`, true);
  if (!response.ok) throw new DeliveryError(`${sender.id}: HTTP ${response.status} ${text.slice(0, 200)}`, false);
  return text;
}

/**
 * Chat robots answer HTTP 200 with their verdict in the body (`errcode`, or `code` for Feishu).
 * Rate limiting is the one refusal that passes by waiting; every other non-zero code is permanent.
 */
export function checkRobotAnswer(sender: HttpSender, text: string, codeKey: string, rateLimited: readonly number[]): void {
  let code = 0;
  try {
    const answer = JSON.parse(text) as Record<string, unknown>;
    code = typeof answer[codeKey] === 'number' ? answer[codeKey] : 0;
  } catch {
    throw new DeliveryError(`${sender.id}: answer is not JSON`, true);
  }
  if (rateLimited.includes(code)) throw new DeliveryError(`${sender.id}: rate limited (${codeKey} ${code})`, true);
  if (code !== 0) throw new DeliveryError(`${sender.id}: ${codeKey} ${code} ${text.slice(0, 200)}`, false);
}
