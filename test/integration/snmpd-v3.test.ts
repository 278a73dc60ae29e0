import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../mocks/influxd.js';
import { Child, ROOT, runCli } from '../helpers/processes.js';

// Debian's Net-SNMP snmpd as the agent: an implementation nobody here wrote, with one user per
// SNMPv3 security level.
let snmpd: Child;
let port = 0;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'snmpd-'));
  port = await freePort();
  writeFileSync(
    join(dir, 'snmpd.conf'),
    [
      'createUser rwnoauth',
      'createUser rwauth SHA-256 "auth-pass-123"',
      'createUser rwpriv SHA-256 "auth-pass-123" AES "priv-pass-456"',
      'rouser -s usm rwnoauth noauth',
      'rouser -s usm rwauth auth',
      'rouser -s usm rwpriv priv',
      'rocommunity v2-community 127.0.0.1',
      '',
    ].join('\n'),
  );
  snmpd = new Child('/usr/sbin/snmpd', ['-f', '-Lo', '-I', '-smux', '-C', '-c', join(dir, 'snmpd.conf'), `udp:127.0.0.1:${port}`], { MIBS: '', SNMP_PERSISTENT_DIR: dir });
  await snmpd.waitFor(/NET-SNMP version/);
});
afterAll(() => snmpd?.stop());

const probe = (args: string[]) => runCli(['probe', '--templates', join(ROOT, 'test', 'fixtures', 'templates'), '--template', 'host-system', '--host', '127.0.0.1', '--port', String(port), '--json', ...args]);

describe('SNMP driver against Net-SNMP snmpd', () => {
  for (const [level, args] of [
    ['v2c', ['--community', 'v2-community']],
    ['v3 noAuthNoPriv', ['--snmp-version', '3', '--user', 'rwnoauth', '--security-level', 'noAuthNoPriv']],
    ['v3 authNoPriv SHA-256', ['--snmp-version', '3', '--user', 'rwauth', '--auth-protocol', 'sha256', '--auth-key', 'auth-pass-123']],
    ['v3 authPriv SHA-256/AES', ['--snmp-version', '3', '--user', 'rwpriv', '--auth-protocol', 'sha256', '--auth-key', 'auth-pass-123', '--priv-protocol', 'aes', '--priv-key', 'priv-pass-456']],
  ] as const) {
    it(`reads scalars of every type and walks ifTable (${level})`, async () => {
      const result = await probe([...args]);
      expect(result.stderr).toBe('');
      const rows = JSON.parse(result.stdout) as Array<{ field: string; value: number | string | null; tags: Record<string, string> }>;
      const get = (field: string) => rows.find((r) => r.field === field)?.value;
      expect(get('sys_descr')).toMatch(/Linux/);
      expect(get('sys_object_id')).toBe('1.3.6.1.4.1.8072.3.2.10');
      expect(get('sys_uptime')).toBeGreaterThanOrEqual(0);
      const interfaces = rows.filter((r) => r.field === 'if_descr');
      expect(interfaces.length).toBe(get('if_number'));
      expect(interfaces.map((r) => r.value)).toContain('lo');
      expect(rows.filter((r) => r.field === 'if_in_octets').every((r) => typeof r.value === 'number')).toBe(true);
    });
  }

  it('is refused with a wrong v3 key (the device does not answer)', async () => {
    const result = await probe(['--snmp-version', '3', '--user', 'rwpriv', '--auth-protocol', 'sha256', '--auth-key', 'wrong-pass-000', '--priv-protocol', 'aes', '--priv-key', 'priv-pass-456', '--timeout', '1s']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not answer/);
    expect(result.stderr).not.toContain('wrong-pass-000');
  });
});
