import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../api/credentials.js';
import { freePort } from '../../mocks/influxd.js';
import { ask, makeCertificates } from '../helpers/certs.js';
import { daemonTestBed } from '../helpers/daemon-bed.js';
import { eventually, startDaemon } from '../helpers/processes.js';

// The run command's wiring of access: api.users and api.tls from the file, the audit log, and a
// reload that changes users while console sessions carry on, against the real daemon over https.
const { influxd, children } = daemonTestBed();

describe('the daemon’s API access', () => {
  it('serves https to api.users, audits writes, and applies changed users on reload, sessions kept', async () => {
    const certs = makeCertificates();
    const ca = readFileSync(certs.ca);
    const apiPort = await freePort();
    const zhang = newToken();
    const li = newToken();
    const meterPort = await freePort();
    const file = join(certs.dir, 'roomwatch.yaml');
    const write = (users: string) =>
      writeFileSync(
        file,
        `influxdb: { url: "${influxd.url}", database: api_access, flush_interval: 200ms }
spool: { dir: spool }
alerting: { state_dir: alerts }
api:
  listen: 127.0.0.1:${apiPort}
  tls: { cert_file: server.pem, key_file: server.key }
  users:
${users}
collector: { default_interval: 1s }
sites: [{ id: site-a, rooms: [{ id: room-1 }] }]
devices:
  - { id: meter-1, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${meterPort}, timeout: 200ms, retries: 0 } }
`,
      );
    write(`    - { name: 张工, role: operator, token_hash: "${hashToken(zhang)}" }\n    - { name: 李工, role: viewer, token_hash: "${hashToken(li)}" }`);
    const daemon = startDaemon(file);
    children.push(daemon);
    await daemon.waitFor('roomwatch running', 40_000);
    const base = `https://127.0.0.1:${apiPort}`;
    const get = (path: string, headers: Record<string, string> = {}) => ask(`${base}${path}`, { headers, ca });

    expect((await get('/api/alerts')).status).toBe(401);
    expect((await get('/api/alerts', { authorization: `Bearer ${li}` })).status).toBe(200);
    const login = await ask(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: zhang }), ca });
    expect(login.status).toBe(204);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/; Secure$/);
    const cookie = setCookie.split(';')[0]!;
    const silence = JSON.stringify({ matchers: { device: 'meter-1' }, ends: new Date(Date.now() + 3_600_000).toISOString(), author: '张工', reason: '更换电表' });
    const created = await ask(`${base}/api/silences`, { method: 'POST', headers: { cookie, 'x-roomwatch-request': '1', 'content-type': 'application/json' }, body: silence, ca });
    expect(created.status).toBe(201);
    const denied = await ask(`${base}/api/silences`, { method: 'POST', headers: { authorization: `Bearer ${li}`, 'content-type': 'application/json' }, body: silence, ca });
    expect(denied.status).toBe(403);

    const audit = () =>
      daemon.output
        .split('\n')
        .filter((l) => l.includes('"component":"audit"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .map(({ who, role, via, method, route, status }) => ({ who, role, via, method, route, status }));
    expect(await eventually(() => (audit().length >= 3 ? audit() : undefined), 10_000, 'three audit lines')).toEqual([
      { who: '张工', role: 'operator', via: 'session', method: 'POST', route: '/api/session', status: 204 },
      { who: '张工', role: 'operator', via: 'session', method: 'POST', route: '/api/silences', status: 201 },
      { who: '李工', role: 'viewer', via: 'bearer', method: 'POST', route: '/api/silences', status: 403 },
    ]);

    // 张工 becomes a viewer, 李工 leaves: the reload rebuilds the API; 张工's console session carries on with the new role.
    write(`    - { name: 张工, role: viewer, token_hash: "${hashToken(zhang)}" }`);
    const before = daemon.output.split('roomwatch running').length;
    daemon.process.kill('SIGHUP');
    await eventually(() => daemon.output.split('roomwatch running').length > before, 40_000, 'the daemon running the reloaded configuration');
    expect(JSON.parse((await get('/api/session', { cookie })).body)).toEqual({ name: '张工', role: 'viewer' });
    expect((await get('/api/alerts', { authorization: `Bearer ${li}` })).status).toBe(401);
    const now = await ask(`${base}/api/silences`, { method: 'POST', headers: { cookie, 'x-roomwatch-request': '1', 'content-type': 'application/json' }, body: silence, ca });
    expect(now.status).toBe(403);

    for (const secret of [zhang, li, cookie.split('=')[1]!]) expect(daemon.output).not.toContain(secret);
  });
});
