import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { Secret } from '../../common/config/secret.js';

// Hostile HTTP clients against the API on a real loopback socket: every request gets a 4xx (or
// the connection is closed by Node's parser) and the server keeps answering.
const app = buildApp({
  silences: { list: () => [], add: (input) => ({ id: 's1', ...input }), expire: () => false },
  alerts: { active: () => [], recent: () => [], alert: () => undefined, acknowledge: () => ({ error: 'no active alert x' }) },
  health: () => ({ status: 'ok' }),
  token: new Secret('api-token'),
});
let port = 0;

beforeAll(async () => {
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(() => app.close());

/** Sends raw bytes and returns the status line of the answer ('' when the server just closed). */
function raw(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('error', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.end(bytes);
  });
}

const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${port}/api/silences`, { method: 'POST', headers: { authorization: 'Bearer api-token', 'content-type': 'application/json', ...headers }, body });

describe('hostile API clients', () => {
  it('answers malformed, oversized and mislabelled bodies with 4xx', async () => {
    expect((await post('{"matchers": {"device": "x"}, ')).status).toBe(400);
    expect((await post('\u0000\u00ff garbage')).status).toBe(400);
    expect((await post('{"__proto__": {"polluted": 1}, "matchers": {"a": "b"}, "ends": "2030-01-01T00:00:00Z", "author": "a", "reason": "r"}')).status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await post(Buffer.alloc(3 * 1024 * 1024, 0x20))).status).toBe(413);
    expect((await post('matchers=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post('[]')).status).toBe(400);
    expect((await post('{"matchers": {"a": "b"}, "ends": "not a date", "author": "a", "reason": "r"}')).status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${port}/api/alerts/${'z'.repeat(5000)}/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"by":"a"}' })).status).toBe(414);
  });

  it('survives broken HTTP framing and headers, and keeps answering', async () => {
    const answers = await Promise.all([
      raw('GARBAGE / HTTP/1.1\r\n\r\n'),
      raw('GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n'),
      raw('POST /api/silences HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n0123456789'),
      raw('POST /api/silences HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n'),
      raw(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`),
      raw('GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n'),
      raw(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1])), // a TLS ClientHello on plain HTTP
      raw('POST /api/silences HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer api-token\r\nContent-Length: 100\r\n\r\n{"truncated'),
    ]);
    for (const status of answers) expect(status === '' || /^HTTP\/1\.1 4\d\d/.test(status)).toBe(true);
    expect(answers.filter((s) => s.startsWith('HTTP/1.1 4')).length).toBeGreaterThan(3);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: 'Bearer api-token' } });
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
