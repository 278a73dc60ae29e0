import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { Secret } from './secret.js';
import { formatIssue } from './yaml-source.js';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'roomwatch-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const MAIN = `
sites:
  - id: hz
    name: 杭州
    labels: { region: east }
    rooms:
      - { id: r101, name: 一楼机房 }
device_files: [devices]
`;

describe('loadConfig', () => {
  it('loads a main file and a directory of device files, with labels as tags and secrets from the environment', () => {
    const dir = workspace({
      'roomwatch.yaml': MAIN,
      'devices/ups.yaml': `
devices:
  - id: ups-1
    site: hz
    room: r101
    template: ups-rfc1628
    interval: 5s
    labels: { rack: a01 }
    snmp: { host: 10.0.0.5, community: { env: UPS_COMMUNITY } }
`,
      'devices/meter.yaml': `
buses:
  - { id: rs485-1, transport: rtu, serial_path: /dev/ttyUSB0, baud_rate: 9600 }
devices:
  - { id: meter-1, site: hz, room: r101, template: sdm630, modbus: { bus: rs485-1, unit_id: 3 } }
  - { id: meter-2, site: hz, room: r101, template: sdm630, modbus: { bus: rs485-1, unit_id: 4 } }
`,
    });
    const result = loadConfig(join(dir, 'roomwatch.yaml'), { UPS_COMMUNITY: 'c0mmunity' });
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    const [meter1, meter2, ups] = result.config.devices;
    expect(ups!.tags).toEqual({ region: 'east', rack: 'a01', site: 'hz', room: 'r101', device: 'ups-1', device_type: 'ups-rfc1628' });
    expect(ups!.intervalMs).toBe(5000);
    expect(ups!.snmp!.community!.reveal()).toBe('c0mmunity');
    expect(meter1!.modbus!.line).toBe(meter2!.modbus!.line);
    expect(meter1!.modbus!.unitId).toBe(3);
    expect(result.config.influx.database).toBe('roomwatch');
  });

  it('reports every problem at once with file, line, column and path', () => {
    const dir = workspace({
      'roomwatch.yaml': `${MAIN}
influxdb:
  url: http://127.0.0.1:8086
  batch_sise: 100
`,
      'devices/bad.yaml': `devices:
  - id: ups-1
    site: hz
    room: r999
    template: ups-rfc1628
    interval: ten seconds
    snmp: { host: 10.0.0.5, version: "2c", community: { env: MISSING_VAR } }
  - id: meter-1
    site: hz
    room: r101
    template: sdm631
    modbus: { transport: tcp, host: 10.0.0.6, unit_id: 300 }
`,
    });
    const result = loadConfig(join(dir, 'roomwatch.yaml'), {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.issues.map(formatIssue);
    const main = join(dir, 'roomwatch.yaml');
    // Schema errors in the main file stop before device files are read, so fix that first.
    expect(lines).toEqual([`${main}:12:3: influxdb.batch_sise: unknown key "batch_sise"; expected one of: url, database, username, password, batch_size, flush_interval, timeout, raw_retention, long_term_retention, downsample_interval`]);

    writeFileSync(main, MAIN);
    const second = loadConfig(main, {});
    expect(second.ok).toBe(false);
    if (second.ok) return;
    const bad = join(dir, 'devices/bad.yaml');
    expect(second.issues.map(formatIssue)).toEqual([
      `${bad}:6:15: devices[0].interval: expected a duration such as "500ms", "10s", "5m", "1h", "30d", got "ten seconds"`,
      `${bad}:12:56: devices[1].modbus.unit_id: must be <= 255, got 300`,
    ]);

    writeFileSync(bad, readFileSync(bad, 'utf8').replace('ten seconds', '10s').replace('unit_id: 300', 'unit_id: 3'));
    const third = loadConfig(main, {});
    if (third.ok) throw new Error('expected errors');
    expect(third.issues.map(formatIssue)).toEqual([
      `${bad}:4:11: devices[0].room: site "hz" has no room "r999"; its rooms are: r101`,
      `${bad}:7:55: devices[0].snmp.community: environment variable MISSING_VAR is not set (or empty)`,
      `${bad}:11:15: devices[1].template: unknown template "sdm631"; known templates: apc-powernet-ups, crac-modbus-generic, leak-detector-modbus, liebert-gp-crac, sdm630, th-sensor-modbus, ups-rfc1628`,
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const dir = workspace({ 'roomwatch.yaml': 'sites:\n  - id: hz\n   rooms: [\n' });
    const result = loadConfig(join(dir, 'roomwatch.yaml'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatIssue(result.issues[0]!)).toMatch(/roomwatch\.yaml:\d+:\d+: \(document\): /);
  });

  it('checks SNMPv3 settings and rejects duplicate ids', () => {
    const dir = workspace({
      'roomwatch.yaml': `${MAIN}
devices:
  - { id: ups-1, site: hz, room: r101, template: ups-rfc1628, snmp: { host: h, version: "3", user: monitor, security_level: authPriv, auth_protocol: sha256, auth_key: k } }
  - { id: ups-1, site: hz, room: r101, template: ups-rfc1628, snmp: { host: h, version: "2c" } }
`,
      'devices/.keep.yaml': 'devices: []\n',
    });
    const result = loadConfig(join(dir, 'roomwatch.yaml'));
    if (result.ok) throw new Error('expected errors');
    const messages = result.issues.map((i) => `${i.line}: ${i.message}`);
    expect(messages).toContain('11: security level authPriv needs "priv_protocol" and "priv_key"');
    expect(messages.some((m) => m.startsWith('12: duplicate device id "ups-1"'))).toBe(true);
    expect(messages).toContain('12: SNMP v2c needs "community" (a string or { env: NAME })');
  });
});

describe('Secret', () => {
  it('never prints its value', () => {
    const secret = new Secret('hunter2');
    const printed = [String(secret), `${String(secret)}`, JSON.stringify({ community: secret }), inspect({ community: secret })].join(' ');
    expect(printed).not.toContain('hunter2');
    expect(printed).toContain('<secret>');
    expect(secret.reveal()).toBe('hunter2');
  });
});

