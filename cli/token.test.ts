import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../api/app.js';
import { loadConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { accessDeps } from '../test/helpers/access-matrix.js';
import { tokenCommand } from './token.js';

async function run(argv: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await tokenCommand(argv, { out: (t) => out.push(t), err: (t) => err.push(t), stdin: () => Promise.resolve(stdin) });
  return { code, out: out.join(''), err: err.join('') };
}

describe('roomwatch token', () => {
  it('new: prints a token once and the api.users line that lets exactly it in, with the role given', async () => {
    const made = await run(['new', '--name', '值班员 王', '--role', 'operator']);
    expect(made.code).toBe(0);
    const [token, line, rest] = made.out.split('\n');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rest).toBe('');
    expect(made.err).toContain('shown only this once');
    expect(made.err).not.toContain(token!);

    const dir = mkdtempSync(join(tmpdir(), 'roomwatch-token-'));
    writeFileSync(join(dir, 'roomwatch.yaml'), `sites: [{ id: s1, rooms: [{ id: r1 }] }]\ndevices:\n  - { id: m1, site: s1, room: r1, template: sdm630, modbus: { transport: tcp, host: 10.0.0.1 } }\napi:\n  users:\n    ${line}\n`);
    const loaded = loadConfig(join(dir, 'roomwatch.yaml'), {});
    if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
    const app = buildApp(accessDeps({ users: loaded.config.api.users }));
    const whoami = await app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${token}` } });
    expect(whoami.json()).toEqual({ name: '值班员 王', role: 'operator' });
    const other = (await run(['new', '--name', 'x', '--role', 'viewer'])).out.split('\n')[0];
    expect(other).not.toBe(token);
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${other}` } })).statusCode).toBe(401);

    const hashed = await run(['hash'], `${token}\n`);
    expect([hashed.code, hashed.out]).toEqual([0, `${/token_hash: "([^"]+)"/.exec(line!)![1]}\n`]);
  });

  it('refuses a missing name, an unknown role, the legacy name and an empty stdin, with its usage', async () => {
    for (const [argv, problem] of [
      [['new', '--role', 'viewer'], 'new: --name NAME is required'],
      [['new', '--name', 'zhang', '--role', 'root'], '--role: expected one of viewer, operator, admin'],
      [['new', '--name', 'api.token', '--role', 'admin'], '--name: "api.token" is the name of the legacy api.token'],
      [['new', '--name', 'a\tb', '--role', 'admin'], '--name: a name is 1 to 64 characters without control characters'],
      [['hash'], 'hash: no token on stdin'],
      [['rotate'], 'unknown action "rotate"'],
    ] as const) {
      const refused = await run([...argv]);
      expect([refused.code, refused.out, refused.err.split('\n')[0]]).toEqual([2, '', `roomwatch token: ${problem}`]);
    }
  });
});
