import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type RoomwatchConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { restartOnlyChanges } from './reload-guard.js';
import { hashToken } from '../api/credentials.js';
import { makeCertificates } from '../test/helpers/certs.js';

const dir = mkdtempSync(join(tmpdir(), 'reload-guard-'));
const BASE = `sites: [{ id: s1, rooms: [{ id: r1 }] }]
devices:
  - { id: m1, site: s1, room: r1, template: sdm630, modbus: { transport: tcp, host: 10.0.0.1 } }
`;

function config(extra: string, env: Record<string, string> = {}): RoomwatchConfig {
  const file = join(dir, 'roomwatch.yaml');
  writeFileSync(file, `${BASE}${extra}`);
  const loaded = loadConfig(file, env);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return loaded.config;
}

describe('restartOnlyChanges', () => {
  it('lets device, rule and interval changes through', () => {
    expect(restartOnlyChanges(config(''), config('collector: { default_interval: 30s }\nalerting: { group_wait: 1m }\n'))).toEqual([]);
  });

  it('names every moved directory and listener, and a changed token without its value', () => {
    const running = config('api: { listen: "127.0.0.1:8080", token: { env: T } }\n', { T: 'old-token-1' });
    const next = config('spool: { dir: elsewhere }\nalerting: { state_dir: other }\napi: { listen: "127.0.0.1:8080", token: { env: T } }\ntraps: { listen: "127.0.0.1:1162" }\n', { T: 'new-token-2' });
    const changes = restartOnlyChanges(running, next);
    expect(changes).toEqual([
      `spool.dir: ${join(dir, 'data/spool')} → ${join(dir, 'elsewhere')}`,
      `alerting.state_dir: ${join(dir, 'data/alerts')} → ${join(dir, 'other')}`,
      'api.token: changed',
      'traps.listen: off → 127.0.0.1:1162',
    ]);
    expect(changes.join('\n')).not.toMatch(/token-/);
    expect(restartOnlyChanges(running, config(''))).toEqual(['api.token: removed']);
    expect(restartOnlyChanges(config(''), config('api: { listen: "0.0.0.0:9090" }\n'))).toEqual(['api.listen: 127.0.0.1:8080 → 0.0.0.0:9090']);
  });

  it('lets api.users change (the API is rebuilt), and refuses turning TLS on, off or to other files', () => {
    const users = (role: string) => `api: { users: [{ name: zhang, role: ${role}, token_hash: "${hashToken('t')}" }] }\n`;
    expect(restartOnlyChanges(config(''), config(users('viewer')))).toEqual([]);
    expect(restartOnlyChanges(config(users('viewer')), config(users('admin')))).toEqual([]);
    const certs = makeCertificates();
    const tls = (cert: string) => `api: { tls: { cert_file: ${cert}, key_file: ${certs.key} } }\n`;
    const withTls = config(tls(certs.cert));
    expect(restartOnlyChanges(config(''), withTls)).toEqual([`api.tls: off → ${certs.cert} + ${certs.key}`]);
    expect(restartOnlyChanges(withTls, config(''))).toEqual([`api.tls: ${certs.cert} + ${certs.key} → off`]);
    expect(restartOnlyChanges(withTls, config(tls(certs.cert)))).toEqual([]);
  });
});
