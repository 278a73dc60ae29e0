import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { buildApp } from './app.js';
import { accessDeps, ROLE_TOKENS, ROLE_USERS } from '../test/helpers/access-matrix.js';
import { ask, makeCertificates } from '../test/helpers/certs.js';

describe('the API over TLS', () => {
  const certs = makeCertificates();
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('serves https with the configured certificate files (relative to the config file), with Secure session cookies', async () => {
    const dir = join(certs.dir, 'etc');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'roomwatch.yaml'),
      `api:\n  listen: 127.0.0.1:0\n  tls: { cert_file: ../server.pem, key_file: ../server.key }\n` +
        `sites: [{ id: s1, rooms: [{ id: r1 }] }]\ndevices:\n  - { id: m1, site: s1, room: r1, template: sdm630, modbus: { transport: tcp, host: 10.0.0.1 } }\n`,
    );
    const loaded = loadConfig(join(dir, 'roomwatch.yaml'), {});
    if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
    const tls = loaded.config.api.tls!;
    expect([tls.certFile, tls.keyFile]).toEqual([certs.cert, certs.key]);
    const app = buildApp(accessDeps({ users: ROLE_USERS, tls: { cert: tls.cert, key: tls.key.reveal() } }));
    closers.push(() => app.close());
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    expect(address).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = readFileSync(certs.ca);

    const whoami = await ask(`${address}/api/session`, { headers: { authorization: `Bearer ${ROLE_TOKENS.viewer}` }, ca });
    expect([whoami.status, JSON.parse(whoami.body)]).toEqual([200, { name: 'viewer-1', role: 'viewer' }]);
    const login = await ask(`${address}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: ROLE_TOKENS.operator }), ca });
    expect(login.status).toBe(204);
    expect(String(login.headers['set-cookie'])).toMatch(/^roomwatch_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);

    // Without the CA the certificate is not trusted; plain http gets no answer from a TLS port.
    await expect(ask(`${address}/api/session`, {})).rejects.toThrow(/self.signed|unable to verify|issuer/i);
    await expect(ask(address.replace('https:', 'http:'), {})).rejects.toThrow();
  });
});
