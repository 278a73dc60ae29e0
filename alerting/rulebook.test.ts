import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type RoomwatchConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { DeviceRuleBook } from './rulebook.js';
import { SELF_RULES } from './self/rules.js';

function configWith(rules = '', templateComms = ''): RoomwatchConfig {
  const dir = mkdtempSync(join(tmpdir(), 'rulebook-'));
  const templates = join(dir, 'templates');
  const file = join(dir, 'roomwatch.yaml');
  if (templateComms) {
    // A site's own sensor type, declaring how grave losing it is.
    mkdirSync(templates);
    writeFileSync(join(templates, 'vault-sensor.yaml'), `name: vault-sensor
description: vault room sensor
driver: modbus
category: environment
measurement: environment
points:
  - { field: temperature, register: 30001, type: int16, scale: 0.1, unit: degC }
${templateComms}`);
  }
  writeFileSync(
    file,
    `sites: [{ id: s1, rooms: [{ id: r1 }] }]
${templateComms ? 'templates: [templates]\n' : ''}alerting:
  state_dir: alerts
${rules}
devices:
  - { id: ups-1, site: s1, room: r1, template: ups-rfc1628, snmp: { host: 10.0.0.1, community: c } }
  - { id: crac-1, site: s1, room: r1, template: liebert-gp-crac, snmp: { host: 10.0.0.2, community: c } }
  - { id: leak-1, site: s1, room: r1, template: leak-detector-modbus, modbus: { transport: tcp, host: 10.0.0.3 } }
  - { id: meter-1, site: s1, room: r1, template: sdm630, modbus: { transport: tcp, host: 10.0.0.4 } }
  - { id: th-1, site: s1, room: r1, template: th-sensor-modbus, modbus: { transport: tcp, host: 10.0.0.5 } }
${templateComms ? '  - { id: vault-1, site: s1, room: r1, template: vault-sensor, modbus: { transport: tcp, host: 10.0.0.6 } }\n' : ''}`,
  );
  const loaded = loadConfig(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return loaded.config;
}


const rule = (book: DeviceRuleBook, device: string, name: string) => book.allFor(device).find((r) => r.name === name)!;

describe('DeviceRuleBook built-in rules', () => {
  it('give device_comms_lost the severity of what the device is (UPS, CRAC, leak major; meter, room sensor minor)', () => {
    const cfg = configWith();
    const book = new DeviceRuleBook(cfg.devices, cfg.alerting);
    const severities = cfg.devices.map((d) => [d.id, rule(book, d.id, 'device_comms_lost').severity]);
    expect(severities).toEqual([['ups-1', 'major'], ['crac-1', 'major'], ['leak-1', 'major'], ['meter-1', 'minor'], ['th-1', 'minor']]);
  });

  it('take the severity a template declares under comms', () => {
    const cfg = configWith('', 'comms: { severity: critical }');
    const book = new DeviceRuleBook(cfg.devices, cfg.alerting);
    expect(rule(book, 'vault-1', 'device_comms_lost').severity).toBe('critical');
    expect(rule(book, 'th-1', 'device_comms_lost').severity).toBe('minor');
  });

  it('let an alerting.rules entry named device_comms_lost override the template', () => {
    const cfg = configWith(`  rules:
    - { name: device_comms_lost, match: { device_type: ups-rfc1628 }, severity: warning }`);
    const book = new DeviceRuleBook(cfg.devices, cfg.alerting);
    expect(rule(book, 'ups-1', 'device_comms_lost').severity).toBe('warning');
    expect(rule(book, 'crac-1', 'device_comms_lost').severity).toBe('major');
  });

  it('count comms and stale data as communication faults, and roomwatch’s own as roomwatch', () => {
    const cfg = configWith();
    const book = new DeviceRuleBook(cfg.devices, cfg.alerting);
    expect([rule(book, 'ups-1', 'device_comms_lost').category, rule(book, 'ups-1', 'device_data_stale').category]).toEqual(['communication', 'communication']);
    expect(new Set(SELF_RULES.map((r) => r.category))).toEqual(new Set(['roomwatch']));
    // Template rules keep their own: a CRAC's alarms are about cooling.
    expect(book.allFor('crac-1').filter((r) => r.category === 'cooling').length).toBeGreaterThan(0);
  });
});
