import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../common/config/secret.js';
import { createNotifier, type ReceiverSettings } from '../../alerting/notify/registry.js';
import { failure } from './delivery.js';

export interface Answer {
  status: number;
  body: string;
}

/**
 * A loopback HTTP endpoint that answers each path as told (default 200 `{"errcode":0}`), the way a
 * chat-bot or webhook service answers: notifier tests check what each answer makes them do.
 */
export class AnsweringServer {
  readonly answers = new Map<string, Answer>();
  #server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const answer = this.answers.get(request.url ?? '') ?? { status: 200, body: '{"errcode":0}' };
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.#server.address() as { port: number }).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

/** One row of a notifier's retry table: path answered, the answer, and whether the failure is retryable (undefined: delivered). */
export type RetryCase = readonly [path: string, answer: Answer, retryable: boolean | undefined];

/**
 * The retry decisions of a webhook-style notifier (webhook, wecom, dingtalk): each case's answer
 * from a loopback endpoint, and whether the notifier then delivered, or failed retryably or not.
 */
export function describeRetryDecisions(title: string, type: Exclude<ReceiverSettings['type'], 'email' | 'feishu'>, cases: readonly RetryCase[]): void {
  const server = new AnsweringServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  const hook = (path: string): ReceiverSettings => ({ id: type, type, language: 'en', url: new Secret(`http://127.0.0.1:${server.port}${path}`), timeoutMs: 2000 });
  describe(title, () => {
    const json = { type: 'json' as const, body: { hello: 'world' } };
    it.each(cases.map(([path, answer, retryable]) => [type, path, answer, retryable] as const))('%s %s', async (_type, path, answer, retryable) => {
      server.answers.set(path, answer);
      const sending = createNotifier(hook(path)).send(json, 'key');
      if (retryable === undefined) await expect(sending).resolves.toBeUndefined();
      else expect((await failure(sending)).retryable).toBe(retryable);
    });
  });
}
