import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../mocks/influxd.js';
import { Child, ROOT, runCli, sleep, startModbusSlave } from '../helpers/processes.js';

const MAP = join(ROOT, 'test', 'fixtures', 'sdm630-small.json');
const slaves: Child[] = [];

afterAll(async () => {
  for (const child of slaves) await child.stop();
});

describe('roomwatch validate', () => {
  it('exits 0 for the shipped example configuration', async () => {
    const result = await runCli(['validate', '--config', join(ROOT, 'config', 'examples', 'realdata-room.yaml')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/valid \(1 sites, 7 devices, 7 templates\)/);
  });

  it('exits 1 and lists every problem as file:line:column: path: message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `sites:
  - id: hz
    rooms: [{ id: r1 }]
devices:
  - { id: m1, site: hz, room: r1, template: sdm630, modbus: { transport: tcp, host: h }, colour: red }
  - { id: m2, site: hz, room: r2, template: sdm630, modbus: { transport: serial, host: h } }
`,
    );
    const result = await runCli(['validate', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:5:90: devices[0].colour: unknown key "colour"; expected one of: id, name, site, room, template, interval, enabled, labels, snmp, modbus`);
    expect(result.stderr).toContain(`${file}:6:74: devices[1].modbus.transport: expected tcp (Modbus TCP), rtu (serial line) or rtu-over-tcp (serial gateway), got "serial"`);
    expect(result.stderr).toContain('2 problems found; nothing was started.');
  });

  it('exits 1 for a configuration without devices instead of "valid (0 devices)"', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'validate-')), 'empty.yaml');
    writeFileSync(file, '# nothing configured yet\n');
    const result = await runCli(['validate', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}:1:1: devices: no devices:`);
  });

  it('refuses to run with a bad configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'sites: []\ndevices:\n  - { id: x, site: nowhere, room: r, template: sdm630, modbus: { transport: tcp, host: h } }\n');
    const result = await runCli(['run', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:3:20: devices[0].site: unknown site "nowhere"; sites are: (none defined)`);
  });
});

describe('roomwatch COMMAND --help', () => {
  it.each(['run', 'validate', 'probe', 'mock', 'demo', 'alerts', 'reload'])('%s --help prints its usage and exits 0', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(`roomwatch ${command} `)).toBe(true);
  });

  it('a bad option names the command and shows its usage, exit 2', async () => {
    const result = await runCli(['probe', '--template', 'sdm630', '--colour', 'red']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("roomwatch probe: Unknown option '--colour'");
    expect(result.stderr).toContain('--templates DIR');
  });
});

describe('roomwatch probe against a misbehaving SNMP agent', () => {
  it('finishes when the agent answers past the end of its MIB by repeating the OID', async () => {
    // net-snmp's own agent does this (noSuchInstance at the request OID instead of endOfMibView);
    // a walk that trusted it would loop forever.
    const port = await freePort();
    type Agent = { getAuthorizer(): { addCommunity(c: string): void }; getMib(): { registerProvider(p: object): void; setScalarValue(n: string, v: number): void }; close(): void };
    const agent = (snmp as unknown as { createAgent(o: object, cb: () => void): Agent }).createAgent({ port, address: '127.0.0.1' }, () => undefined);
    agent.getAuthorizer().addCommunity('public');
    agent.getMib().registerProvider({ name: 'charge', type: snmp.MibProviderType.Scalar, oid: '1.3.6.1.2.1.33.1.2.4', scalarType: snmp.ObjectType.Integer, maxAccess: snmp.MaxAccess['read-only'] });
    agent.getMib().setScalarValue('charge', 87);
    try {
      const result = await runCli(['probe', '--template', 'ups-rfc1628', '--host', '127.0.0.1', '--port', String(port), '--community', 'public', '--json']);
      expect(result.code).toBe(0);
      const rows = JSON.parse(result.stdout) as Array<{ source: string; value: number | null }>;
      expect(rows.find((r) => r.source === '1.3.6.1.2.1.33.1.2.4.0')?.value).toBe(87);
      expect(rows.some((r) => r.source.startsWith('1.3.6.1.2.1.33.1.3.3.1.3.'))).toBe(false);
    } finally {
      agent.close();
    }
  });
});

describe('roomwatch probe over Modbus against pymodbus', () => {
  let tcpPort = 0;
  let gatewayPort = 0;
  beforeAll(async () => {
    tcpPort = await freePort();
    gatewayPort = await freePort();
    slaves.push(await startModbusSlave(MAP, 'tcp', { port: tcpPort }));
    slaves.push(await startModbusSlave(MAP, 'rtu-over-tcp', { port: gatewayPort }));
  });

  it('reads Modbus TCP and prints JSON with sources as fc:address', async () => {
    const result = await runCli(['probe', '--template', 'sdm630', '--host', '127.0.0.1', '--port', String(tcpPort), '--json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ measurement: string; field: string; tags: Record<string, string>; value: number | null; unit: string; source: string }>;
    const bySource = new Map(rows.map((r) => [r.source, r]));
    expect(bySource.get('4:0')).toEqual({ measurement: 'power_meter', field: 'voltage', tags: { phase: '1' }, value: 231, unit: 'V', source: '4:0' });
    expect(bySource.get('4:2')?.value).toBe(229.5);
    expect(bySource.get('4:6')).toMatchObject({ field: 'current', value: 4.25, unit: 'A' });
    expect(bySource.get('4:70')).toMatchObject({ field: 'frequency', value: 49.95 });
  });

  it('reads RTU framed over TCP (a serial gateway) and shows every word order with --raw', async () => {
    const result = await runCli(['probe', '--template', 'sdm630', '--host', '127.0.0.1', '--port', String(gatewayPort), '--transport', 'rtu-over-tcp', '--json', '--raw']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ source: string; value: number; orders: Record<string, unknown> }>;
    const voltage = rows.find((r) => r.source === '4:0')!;
    expect(voltage.value).toBe(231);
    expect(voltage.orders).toMatchObject({ registers: ['0x4367', '0x0000'], ABCD: 231 });
    expect(voltage.orders.CDAB).not.toBe(231);
  });

  it('reads RTU on a serial line (socat pseudo-terminal pair)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pty-'));
    const socat = new Child('socat', ['-d', '-d', `pty,raw,echo=0,link=${dir}/a`, `pty,raw,echo=0,link=${dir}/b`]);
    slaves.push(socat);
    await socat.waitFor(/starting data transfer loop/);
    slaves.push(await startModbusSlave(MAP, 'rtu', { serial: `${dir}/b` }));
    const result = await runCli(['probe', '--template', 'sdm630', '--transport', 'rtu', '--serial-path', `${dir}/a`, '--json']);
    expect(result.stderr).toBe('');
    const rows = JSON.parse(result.stdout) as Array<{ source: string; value: number }>;
    expect(rows.find((r) => r.source === '4:4')?.value).toBe(230.5);
  });

  it('exits 1 with a clear message when nothing answers', async () => {
    const port = await freePort();
    await sleep(10);
    const result = await runCli(['probe', '--template', 'sdm630', '--host', '127.0.0.1', '--port', String(port), '--timeout', '500ms']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the device did not answer: .*ECONNREFUSED/);
  });
});
