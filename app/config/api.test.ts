import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../api/credentials.js';
import { formatIssue } from '../../common/config/yaml-source.js';
import { makeCertificates } from '../../test/helpers/certs.js';
import { loadConfig } from './load.js';

const BASE = `sites: [{ id: s1, rooms: [{ id: r1 }] }]
devices:
  - { id: m1, site: s1, room: r1, template: sdm630, modbus: { transport: tcp, host: 10.0.0.1 } }
`;
const H1 = hashToken('token-one');
const H2 = hashToken('token-two');

function load(api: string, dir = mkdtempSync(join(tmpdir(), 'roomwatch-api-config-')), env: Record<string, string> = {}) {
  const file = join(dir, 'roomwatch.yaml');
  writeFileSync(file, `${BASE}api:\n${api}`);
  return { file, result: loadConfig(file, env) };
}

function problems(api: string, dir?: string): { file: string; lines: string[] } {
  const { file, result } = load(api, dir);
  if (result.ok) throw new Error('expected the configuration to be refused');
  return { file, lines: result.issues.map(formatIssue) };
}

describe('api.users', () => {
  it('are loaded with their roles and token hashes, beside the legacy api.token', () => {
    const { result } = load(`  token: { env: T }\n  users:\n    - { name: 张工, role: operator, token_hash: "${H1}" }\n    - { name: prometheus, role: viewer, token_hash: "${H2}" }\n`, undefined, { T: 'legacy' });
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.config.api.users).toEqual([
      { name: '张工', role: 'operator', tokenHash: H1 },
      { name: 'prometheus', role: 'viewer', tokenHash: H2 },
    ]);
    expect(result.config.api.token?.reveal()).toBe('legacy');
  });

  it('refuse a repeated name, a repeated hash, the name api.token, an unknown role and a malformed hash, each at its line', () => {
    const { file, lines } = problems(
      `  users:\n` +
        `    - { name: zhang, role: operator, token_hash: "${H1}" }\n` +
        `    - { name: zhang, role: viewer, token_hash: "${H2}" }\n` +
        `    - { name: li, role: viewer, token_hash: "${H1}" }\n` +
        `    - { name: api.token, role: admin, token_hash: "${hashToken('three')}" }\n`,
    );
    expect(lines).toEqual([
      `${file}:7:15: api.users[1].name: duplicate user name "zhang" (first at line 6): each user needs a name of their own`,
      `${file}:8:45: api.users[2].token_hash: the same token_hash as user "zhang" (line 6): each user needs a token of their own (roomwatch token new)`,
      `${file}:9:15: api.users[3].name: the name "api.token" is taken by api.token; choose another`,
    ]);
    const shape = problems(`  users:\n    - { name: w, role: root, token_hash: "sha256:ABC" }\n    - { name: x, role: viewer, token_hash: "${H1.slice(7)}" }\n`);
    expect(shape.lines).toEqual([
      `${shape.file}:6:24: api.users[0].role: expected one of viewer, operator, admin, got "root"`,
      `${shape.file}:6:42: api.users[0].token_hash: expected "sha256:" and 64 lowercase hex digits, as printed by roomwatch token new, got "sha256:ABC"`,
      `${shape.file}:7:44: api.users[1].token_hash: expected "sha256:" and 64 lowercase hex digits, as printed by roomwatch token new, got "${H1.slice(7)}"`,
    ]);
  });
});

describe('api.tls', () => {
  const certs = makeCertificates();

  it('reads the certificate and key relative to the config file', () => {
    const { result } = load(`  tls: { cert_file: server.pem, key_file: server.key }\n`, certs.dir);
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.config.api.tls?.cert).toContain('BEGIN CERTIFICATE');
    expect(String(result.config.api.tls?.key)).toBe('<secret>');
  });

  it('refuses an unreadable file and a certificate with a key that is not its own, at their lines', () => {
    const missing = problems(`  tls: { cert_file: nowhere.pem, key_file: server.key }\n`, certs.dir);
    expect(missing.lines).toEqual([`${missing.file}:5:21: api.tls.cert_file: cannot read ${join(certs.dir, 'nowhere.pem')}: ENOENT`]);
    const other = makeCertificates();
    const mismatched = problems(`  tls:\n    cert_file: server.pem\n    key_file: ${other.key}\n`, certs.dir);
    expect(mismatched.lines).toHaveLength(1);
    expect(mismatched.lines[0]).toMatch(new RegExp(`^${mismatched.file}:6:5: api.tls: the certificate and key cannot be used together: .*key values mismatch.*; expected a PEM certificate and its PEM private key$`));
  });
});
