import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../../test/helpers/delivery.js';
import { EmailNotifier } from './notifier.js';
import type { EmailSettings } from './schema.js';
import { Secret } from '../../../common/config/secret.js';
import { freePort } from '../../../mocks/influxd.js';

const dir = mkdtempSync(join(tmpdir(), 'notifiers-'));
const received: ParsedMail[] = [];
let smtp: SMTPServer;
let smtpPort = 0;

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  smtpPort = await freePort();
  // Implicit TLS (port-465 style) with authentication, as many provincial mail relays require.
  smtp = new SMTPServer({
    secure: true,
    key: readFileSync(join(dir, 'key.pem')),
    cert: readFileSync(join(dir, 'cert.pem')),
    logger: false,
    onAuth: (auth, _session, callback) => (auth.username === 'roomwatch' && auth.password === 's3cret' ? callback(null, { user: 'roomwatch' }) : callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }))),
    onData: (stream, _session, callback) => {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', () => resolve()));
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const email = (password: string): EmailSettings => ({
  id: 'mail', type: 'email', language: 'en', to: ['duty@example.com'], from: 'roomwatch@example.com', timeoutMs: 5000,
  smtp: { host: '127.0.0.1', port: smtpPort, security: 'tls', username: 'roomwatch', password: new Secret(password), caFile: join(dir, 'cert.pem') },
});
const message = { type: 'email' as const, subject: 'UPS on battery', text: 'text', html: '<p>html</p>' };

describe('e-mail notifier', () => {
  it('delivers over implicit TLS with authentication, with the idempotency key as Message-ID', async () => {
    await new EmailNotifier(email('s3cret')).send(message, 'duty-mail-abc123');
    expect(received.at(-1)).toMatchObject({ subject: 'UPS on battery', messageId: '<duty-mail-abc123@roomwatch>' });
  });

  it('treats a refused password as permanent (no retry) and a dead server as transient', async () => {
    const refused = await failure(new EmailNotifier(email('wrong')).send(message, 'k1'));
    expect(refused.retryable).toBe(false);
    expect(refused.message).not.toContain('wrong');
    const down = await failure(new EmailNotifier({ ...email('s3cret'), smtp: { ...email('s3cret').smtp, port: await freePort() } }).send(message, 'k2'));
    expect(down.retryable).toBe(true);
  });
});
