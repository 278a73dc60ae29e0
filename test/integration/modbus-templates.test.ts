import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { eventually, ROOT, runCli, startDaemon, startModbusSlave, type Child } from '../helpers/processes.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';

// A UPS register map served by pymodbus (an independent Modbus implementation); see
// test/fixtures/modbus-ups/README.md for what each register holds.
const FIXTURE = join(ROOT, 'test', 'fixtures', 'modbus-ups');
const children: Child[] = [];
let slavePort = 0;

interface ProbeRow {
  measurement: string;
  field: string;
  value: number | string | null;
  source: string;
  reason?: string;
  orders?: { registers: string[]; ABCD: unknown; CDAB: unknown; BADC: unknown; DCBA: unknown };
}

async function probe(templates: string, template: string, ...extra: string[]): Promise<{ code: number | null; stderr: string; rows: Map<string, ProbeRow> }> {
  const result = await runCli(['probe', '--templates', join(FIXTURE, templates), '--template', template, '--host', '127.0.0.1', '--port', String(slavePort), '--json', ...extra]);
  const rows = result.code === 0 ? (JSON.parse(result.stdout) as ProbeRow[]) : [];
  return { code: result.code, stderr: result.stderr, rows: new Map(rows.map((r) => [r.field, r])) };
}

beforeAll(async () => {
  slavePort = await freePort();
  children.push(await startModbusSlave(join(FIXTURE, 'registers.json'), 'tcp', { port: slavePort }));
});
afterAll(async () => {
  for (const child of children) await child.stop('SIGKILL');
});

describe('Modbus text points (firmware, model and serial numbers)', () => {
  it('reads string register blocks as text, byte-swapped ones included', async () => {
    const { code, stderr, rows } = await probe('templates', 'acme-ups-modbus');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(rows.get('model')).toMatchObject({ measurement: 'ups_identity', value: 'Smart-UPS "1500"', source: '3:0' });
    expect(rows.get('serial_number')).toMatchObject({ value: 'AS1234567890', source: '3:8' });
    expect(rows.get('firmware')).toMatchObject({ value: 'UPS 09.3\\' });
    expect(rows.get('model')).not.toHaveProperty('reason');
  });
});

describe('probe --raw with points sharing a register', () => {
  it('shows each point with its own registers and value instead of crashing', async () => {
    const { code, stderr, rows } = await probe('templates', 'acme-ups-modbus', '--raw');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const status = rows.get('status_word')!;
    expect(status).toMatchObject({ value: 0x00060001, source: '4:0' });
    expect(status.orders).toMatchObject({ registers: ['0x0006', '0x0001'], ABCD: 0x00060001, CDAB: 0x00010006 });
    // Three bit points of register 4:0 (0x0006): bit 1 and bit 2 set, bit 0 clear.
    expect(rows.get('on_battery')).toMatchObject({ value: 1, source: '4:0', orders: { registers: ['0x0006'], ABCD: 1 } });
    expect(rows.get('battery_low')).toMatchObject({ value: 0, source: '4:0', orders: { registers: ['0x0006'], ABCD: 0 } });
    expect(rows.get('battery_replace')).toMatchObject({ value: 1, orders: { registers: ['0x0006'], ABCD: 1, BADC: 0 } });
    expect(rows.get('model')?.orders?.registers).toHaveLength(8);
  });

  it('prints the table view too', async () => {
    const result = await runCli(['probe', '--templates', join(FIXTURE, 'templates'), '--template', 'acme-ups-modbus', '--host', '127.0.0.1', '--port', String(slavePort), '--raw']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ups\.status_word +393217 +4:0 +registers=0x0006 0x0001 +ABCD=393217/);
    expect(result.stdout).toMatch(/ups\.battery_low +0 +bool +4:0 +registers=0x0006 +ABCD=0 +CDAB=0/);
  });
});

describe('template keys for real UPS maps', () => {
  it('reads binary-point scaling, bits of a 32-bit word in its word order and hexadecimal sentinels', async () => {
    const { code, stderr, rows } = await probe('new-keys', 'acme-ups-modbus-v2', '--raw');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // 0x00060001: bit 17 is set, bit 16 is not.
    expect(rows.get('output_overload')).toMatchObject({ value: 1, orders: { registers: ['0x0006', '0x0001'] } });
    expect(rows.get('fan_fault')?.value).toBe(0);
    // Registers 0x0000 0x0001 in CDAB order are 0x00010000: bit 16 is set (it would not be in ABCD).
    expect(rows.get('bypass_active')).toMatchObject({ value: 1, orders: { ABCD: 0, CDAB: 1 } });
    expect(rows.get('battery_voltage')?.value).toBe(54.5); // 1744 / 2^5
    expect(rows.get('inlet_temperature')?.value).toBe(25); // 3264 / 2^7 - 0.5
    // 0x8000 on an int16 is -32768; "0xFFFF" on a uint16 is 65535.
    expect(rows.get('battery_temperature')).toMatchObject({ value: null, reason: 'the device reports -32768, which this template declares "not available"' });
    expect(rows.get('battery_runtime_remaining')).toMatchObject({ value: null, reason: 'the device reports 65535, which this template declares "not available"' });
  });
});

describe('roomwatch run with text points', () => {
  const influxd = new TestInfluxd();
  beforeAll(() => influxd.start());
  afterAll(() => influxd.destroy());

  it('stores text fields in InfluxDB beside numbers and evaluates the rules of the same device', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modbus-text-'));
    const apiPort = await freePort();
    const file = join(dir, 'roomwatch.yaml');
    writeFileSync(
      file,
      `log_level: info
influxdb: { url: "${influxd.url}", database: modbus_text, flush_interval: 200ms }
spool: { dir: spool }
${apiSection(`127.0.0.1:${apiPort}`)}
collector: { default_interval: 1s }
templates: ["${join(FIXTURE, 'templates')}", "${join(FIXTURE, 'new-keys')}"]
alerting:
  state_dir: alerts
  group_wait: 0s
sites:
  - id: site-a
    rooms: [{ id: room-1 }]
devices:
  - { id: ups-1, site: site-a, room: room-1, template: acme-ups-modbus, modbus: { transport: tcp, host: 127.0.0.1, port: ${slavePort}, timeout: 1s } }
  - { id: ups-1b, site: site-a, room: room-1, template: acme-ups-modbus-v2, modbus: { transport: tcp, host: 127.0.0.1, port: ${slavePort}, timeout: 1s } }
`,
    );
    const daemon = startDaemon(file);
    children.push(daemon);
    await daemon.waitFor('roomwatch running');
    const identity = await eventually(
      async () => (await influxd.query<{ model: string; serial_number: string; firmware: string }>('modbus_text', `SELECT model, serial_number, firmware FROM ups_identity WHERE device = 'ups-1' LIMIT 1`)).at(0),
      20_000,
      'identity strings in InfluxDB',
    );
    expect(identity).toMatchObject({ model: 'Smart-UPS "1500"', serial_number: 'AS1234567890', firmware: 'UPS 09.3\\' });
    const fieldTypes = await influxd.query<{ fieldKey: string; fieldType: string }>('modbus_text', 'SHOW FIELD KEYS FROM ups_identity');
    expect(Object.fromEntries(fieldTypes.map((f) => [f.fieldKey, f.fieldType]))).toEqual({ model: 'string', serial_number: 'string', firmware: 'string' });
    const ups = await eventually(
      async () => (await influxd.query<{ battery_voltage: number; bypass_active: number }>('modbus_text', `SELECT battery_voltage, bypass_active FROM ups WHERE device = 'ups-1b' LIMIT 1`)).at(0),
      20_000,
      'numbers of the v2 template',
    );
    expect(ups).toMatchObject({ battery_voltage: 54.5, bypass_active: 1 });
    const health = await eventually(
      async () => (await influxd.query<{ comms: number; points_missing: number }>('modbus_text', `SELECT last(comms) AS comms, last(points_missing) AS points_missing FROM device_health WHERE device = 'ups-1'`)).at(0),
      20_000,
      'device health',
    );
    expect(health).toMatchObject({ comms: 1, points_missing: 0 });
    // The device's numeric rule still fires with text readings in the same poll.
    const alerts = await eventually(async () => {
      const body = (await apiJson<{ active: Array<{ rule: string; device: string }> }>(`http://127.0.0.1:${apiPort}/api/alerts`));
      return body.active.find((a) => a.rule === 'ups_on_battery' && a.device === 'ups-1');
    }, 20_000, 'the on-battery alert');
    expect(alerts).toBeDefined();
    expect(daemon.output).not.toMatch(/expected a number|unhandled/);
  });
});

describe('configuration warnings', () => {
  function configWithOverlap(): { file: string; template: string } {
    const dir = mkdtempSync(join(tmpdir(), 'overlap-'));
    const template = join(dir, 'templates', 'overlap.yaml');
    mkdirSync(join(dir, 'templates'));
    writeFileSync(
      template,
      `name: overlap-ups
description: two points on one register by mistake
driver: modbus
category: ups
measurement: ups
points:
  - { field: battery_voltage, register: 30001, type: float32 }
  - { field: battery_charge, register: 30002, type: uint16 }
`,
    );
    const file = join(dir, 'roomwatch.yaml');
    writeFileSync(
      file,
      `influxdb: { url: "http://127.0.0.1:9" }
spool: { dir: spool }
api: { listen: "127.0.0.1:0" }
templates: [templates]
alerting: { state_dir: alerts }
sites: [{ id: s, rooms: [{ id: r }] }]
devices:
  - { id: ups-x, site: s, room: r, template: overlap-ups, modbus: { transport: tcp, host: 127.0.0.1, port: ${slavePort} } }
`,
    );
    return { file, template };
  }

  const expected = (template: string) =>
    `${template}:8:5: warning: points[1]: uint16 at 4:1 overlaps float32 ABCD at 4:0..1 of points[0] at ${template}:7; the same registers cannot hold both`;

  it('validate lists a warning with both lines and still exits 0', async () => {
    const { file, template } = configWithOverlap();
    const result = await runCli(['validate', '--config', file]);
    expect(result.stderr).toBe(`${expected(template)}\n`);
    expect(result.stdout).toBe(`${file}: valid (1 sites, 1 devices, 8 templates), 1 warning\n`);
    expect(result.code).toBe(0);
  });

  it('run logs the warnings at start and runs', async () => {
    const { file, template } = configWithOverlap();
    const daemon = startDaemon(file);
    children.push(daemon);
    await daemon.waitFor('roomwatch running');
    const warning = daemon.output.split('\n').find((line) => line.includes('configuration warning'));
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, warnings: [expected(template)] });
    await daemon.stop();
  });
});
