import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnsweringServer } from '../../../test/helpers/answering-server.js';
import { failure } from '../../../test/helpers/delivery.js';
import { Secret } from '../../../common/config/secret.js';
import { createNotifier, type ReceiverSettings } from '../registry.js';

const server = new AnsweringServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

const hook = (path: string): ReceiverSettings => ({ id: 'wecom', type: 'wecom', language: 'en', url: new Secret(`http://127.0.0.1:${server.port}${path}`), timeoutMs: 2000 });

describe('WeCom notifier decides what is worth retrying', () => {
  const json = { type: 'json' as const, body: { hello: 'world' } };
  it.each([
    ['wecom', '/wecom-ok', { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }, undefined],
    ['wecom', '/wecom-limited', { status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' }, true],
    ['wecom', '/wecom-badkey', { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' }, false],
  ] as const)('%s %s', async (_type, path, answer, retryable) => {
    server.answers.set(path, answer);
    const sending = createNotifier(hook(path)).send(json, 'key');
    if (retryable === undefined) await expect(sending).resolves.toBeUndefined();
    else expect((await failure(sending)).retryable).toBe(retryable);
  });
});
