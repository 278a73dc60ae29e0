import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { Secret } from '../../common/config/secret.js';
import { formatIssue } from '../../common/config/yaml-source.js';

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
    expect(lines).toEqual([`${main}:12:3: influxdb.batch_sise: unknown key "batch_sise"; expected one of: url, database, username, password, batch_size, flush_interval, timeout, raw_retention, long_term_retention, events_retention, downsample_interval`]);

    writeFileSync(main, MAIN);
    const second = loadConfig(main, {});
    expect(second.ok).toBe(false);
    if (second.ok) return;
    const bad = join(dir, 'devices/bad.yaml');
    expect(second.issues.map(formatIssue)).toEqual([
      `${bad}:6:15: devices[0].interval: expected a duration such as "500ms", "10s", "5m", "1h", "30d", at least 1s (time between polls), got "ten seconds"`,
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


const SITE = 'sites: [{ id: hz, rooms: [{ id: r1 }] }]\n';
const METER = '  - { id: m1, site: hz, room: r1, template: sdm630, modbus: { transport: tcp, host: 10.0.0.6 } }\n';

/** The formatted issues of a configuration expected to be refused. */
function refused(files: Record<string, string>): { lines: string[]; main: string } {
  const dir = workspace(files);
  const main = join(dir, 'roomwatch.yaml');
  const result = loadConfig(main, {});
  if (result.ok) throw new Error('expected the configuration to be refused');
  return { lines: result.issues.map(formatIssue), main };
}

describe('loadConfig refuses a configuration that would monitor nothing', () => {
  it.each([
    ['an empty file', '', 1],
    ['a file of comments', '# roomwatch\n# nothing here yet\n', 1],
    ['sites without devices', SITE, 1],
    ['an empty device list', `${SITE}devices: []\n`, 2],
  ])('%s', (_what, text, line) => {
    const { lines, main } = refused({ 'roomwatch.yaml': text });
    expect(lines).toEqual([`${main}:${line}:1: devices: no devices: list them under "devices:" or in a file named by "device_files"; a configuration without devices would monitor nothing`]);
  });

  it('device files without devices count as no devices', () => {
    const { lines } = refused({ 'roomwatch.yaml': `${SITE}device_files: [devices]\n`, 'devices/a.yaml': 'devices: []\n' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('no devices');
  });

  it('every device disabled', () => {
    const { lines, main } = refused({ 'roomwatch.yaml': `${SITE}devices:\n${METER.replace('template:', 'enabled: false, template:')}` });
    expect(lines).toEqual([`${main}:3:44: devices[0].enabled: every device is disabled (enabled: false), starting with "m1"; roomwatch would monitor nothing`]);
  });
});

describe('loadConfig refuses values that are accepted but wrong', () => {
  it('refuses a zero or sub-second poll interval, saying the minimum', () => {
    const { lines, main } = refused({ 'roomwatch.yaml': `${SITE}collector: { default_interval: 0s }\ndevices:\n${METER.replace('template:', 'interval: 500ms, template:')}` });
    expect(lines).toEqual([
      `${main}:2:32: collector.default_interval: expected a duration such as "500ms", "10s", "5m", "1h", "30d", at least 1s (time between polls of a device without its own "interval"), got "0s"`,
      `${main}:4:45: devices[0].interval: expected a duration such as "500ms", "10s", "5m", "1h", "30d", at least 1s (time between polls), got "500ms"`,
    ]);
  });

  it('refuses zero timeouts, retention and repeat intervals, but keeps group_wait: 0s meaning "at once"', () => {
    const { lines } = refused({
      'roomwatch.yaml': `${SITE}influxdb: { timeout: 0s, raw_retention: 30m }\nalerting: { group_wait: 0s, repeat_interval: 0s }\ndevices:\n${METER.replace('host: 10.0.0.6', 'host: 10.0.0.6, timeout: 0ms')}`,
    });
    const paths = lines.map((l) => l.split(': ')[1]);
    expect(paths).toEqual(['influxdb.timeout', 'influxdb.raw_retention', 'alerting.repeat_interval', 'devices[0].modbus.timeout']);
    expect(lines[1]).toContain('at least 1h (InfluxDB keeps no retention policy shorter than 1h), got "30m"');
  });

  it('explains a malformed duration in words, never as a regular expression', () => {
    const { lines, main } = refused({ 'roomwatch.yaml': `${SITE}collector: { default_interval: ten seconds }\ndevices:\n${METER}` });
    expect(lines).toEqual([`${main}:2:32: collector.default_interval: expected a duration such as "500ms", "10s", "5m", "1h", "30d", at least 1s (time between polls of a device without its own "interval"), got "ten seconds"`]);
    const number = refused({ 'roomwatch.yaml': `${SITE}collector: { default_interval: 10 }\ndevices:\n${METER}` });
    expect(number.lines).toEqual([`${number.main}:2:32: collector.default_interval: expected a duration such as "500ms", "10s", "5m", "1h", "30d", at least 1s (time between polls of a device without its own "interval"), got 10`]);
  });

  it('refuses ports outside 0..65535 in listen addresses and 1..65535 in the InfluxDB URL', () => {
    const { lines, main } = refused({
      'roomwatch.yaml': `${SITE}api: { listen: "127.0.0.1:99999" }\ntraps: { listen: "127.0.0.1:65536" }\ndevices:\n${METER}`,
    });
    expect(lines).toEqual([
      `${main}:3:18: traps.listen: expected host:port with a port from 1 to 65535 (0 picks a free port); where SNMP traps and informs arrive (loopback unless configured), got "127.0.0.1:65536"`,
      `${main}:2:16: api.listen: expected host:port with a port from 1 to 65535 (0 picks a free port); loopback unless you mean otherwise, got "127.0.0.1:99999"`,
    ]);
    const url = refused({ 'roomwatch.yaml': `${SITE}influxdb: { url: "http://u:hunter2@127.0.0.1:99999" }\ndevices:\n${METER}` });
    expect(url.lines).toEqual([`${url.main}:2:18: influxdb.url: expected an http(s) URL such as http://127.0.0.1:8086, with a host and a port from 1 to 65535`]);
  });

  it('accepts port 0 (a free port) for listeners', () => {
    const dir = workspace({ 'roomwatch.yaml': `${SITE}api: { listen: "127.0.0.1:0" }\ndevices:\n${METER}` });
    const result = loadConfig(join(dir, 'roomwatch.yaml'), {});
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.config.api.port).toBe(0);
  });

  it('refuses a label key the pattern does not allow, in words', () => {
    const { lines, main } = refused({ 'roomwatch.yaml': `${SITE}devices:\n${METER.replace('template:', 'labels: { Rack: a01 }, template:')}` });
    expect(lines).toEqual([`${main}:3:45: devices[0].labels.Rack: key "Rack" is not allowed: expected a snake_case name (lowercase letters, digits and "_", starting with a letter)`]);
  });

  it('refuses a silence with an impossible date or ending before it starts', () => {
    const { lines, main } = refused({
      'roomwatch.yaml': `${SITE}alerting:
  silences:
    - { matchers: { device: m1 }, ends: "2026-13-45T02:00:00+08:00", author: a, reason: r }
    - { matchers: { device: m1 }, starts: "2026-11-22T04:00:00+08:00", ends: "2026-11-22T02:00:00+08:00", author: a, reason: r }
devices:\n${METER}`,
    });
    expect(lines).toEqual([
      `${main}:4:41: alerting.silences[0].ends: "2026-13-45T02:00:00+08:00" is not a real date and time`,
      `${main}:5:78: alerting.silences[1].ends: "ends" must be after "starts"`,
    ]);
  });

  it('names the file and line of a YAML alias bomb', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const { lines } = refused({ 'roomwatch.yaml': `${SITE}device_files: [devices]\n`, 'devices/bomb.yaml': `${bomb.join('\n')}\n` });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/devices\/bomb\.yaml:2:8: \(document\): aliases expand to too much data \(more than 100 alias expansions\); refused as a possible "billion laughs" attack$/);
  });
});

describe('loadConfig checks the incident types templates name', () => {
  // A shipped template copied under another name, its on-battery rule naming a misspelt type.
  const shipped = readFileSync(join(import.meta.dirname, '../../config/templates/ups-rfc1628.yaml'), 'utf8');
  const misspelt = shipped.replace('name: ups-rfc1628', 'name: ups-site').replace('incident: mains_failure,', 'incident: mains_falure,');
  const line = misspelt.split('\n').findIndex((l) => l.includes('mains_falure')) + 1;
  const column = misspelt.split('\n')[line - 1]!.indexOf('mains_falure') + 1;

  it('refuses a template rule naming an unknown type, at its file and line', () => {
    const { lines, main } = refused({ 'roomwatch.yaml': `${SITE}templates: [templates]\ndevices:\n${METER}`, 'templates/ups-site.yaml': misspelt });
    // ups_on_battery is the template's first rule.
    expect(lines).toEqual([`${join(main, '..', 'templates', 'ups-site.yaml')}:${line}:${column}: rules[0].incident: incident "mains_falure" is not an incident type (known: comms_lost, mains_failure)`]);
  });

  it('accepts it once the config defines that type', () => {
    const types = 'alerting:\n  incidents:\n    types: [{ name: mains_falure, scope: site, category: power, summary: { en: mains failure, zh-CN: 市电中断 } }]\n';
    const dir = workspace({ 'roomwatch.yaml': `${SITE}templates: [templates]\n${types}devices:\n${METER}`, 'templates/ups-site.yaml': misspelt });
    const result = loadConfig(join(dir, 'roomwatch.yaml'), {});
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.config.alerting.incidents).toEqual({
      holdMs: 'auto', windowBeforeMs: 120_000, windowAfterMs: undefined, settleMs: 120_000,
      types: [{ name: 'mains_falure', scope: 'site', category: 'power', summary: { en: 'mains failure', 'zh-CN': '市电中断' }, advice: undefined }],
    });
  });
});
