import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnsweringServer } from '../../../test/helpers/answering-server.js';
import { failure } from '../../../test/helpers/delivery.js';
import { Secret } from '../../../common/config/secret.js';
import { createNotifier, type ReceiverSettings } from '../registry.js';

const server = new AnsweringServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

const hook = (path: string): ReceiverSettings => ({ id: 'dingtalk', type: 'dingtalk', language: 'en', url: new Secret(`http://127.0.0.1:${server.port}${path}`), timeoutMs: 2000 });

describe('DingTalk notifier decides what is worth retrying', () => {
  const json = { type: 'json' as const, body: { hello: 'world' } };
  it.each([
    ['dingtalk', '/ding-ok', { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }, undefined],
    ['dingtalk', '/ding-fast', { status: 200, body: '{"errcode":130101,"errmsg":"send too fast"}' }, true],
    ['dingtalk', '/ding-sign', { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }, false],
  ] as const)('%s %s', async (_type, path, answer, retryable) => {
    server.answers.set(path, answer);
    const sending = createNotifier(hook(path)).send(json, 'key');
    if (retryable === undefined) await expect(sending).resolves.toBeUndefined();
    else expect((await failure(sending)).retryable).toBe(retryable);
  });
});
