import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RoomwatchConfig } from '../../app/config/load.js';
import { formatIssue } from '../../common/config/yaml-source.js';
import { AlertBook, type Alert, type ContextReading } from '../../alerting/alerts.js';
import { DeviceRuleBook } from '../../alerting/rulebook.js';
import { Directory } from '../../alerting/notify/directory.js';

/**
 * The room the message cases are told about: one device of every shipped template, in a site and
 * room with Chinese names, loaded through the real config loader (templates, rules, overrides).
 */
export const T0 = Date.UTC(2026, 10, 21, 2, 2, 3);
export const MIN = 60_000;

const YAML = `sites: [{ id: prov, name: 省公司, rooms: [{ id: f3, name: 三楼主机房 }] }]
alerting:
  state_dir: alerts
  console_url: http://127.0.0.1:18080
  rules:
    - { name: phase_voltage_low, match: { device: meter-1 }, below: 200 }
devices:
  - { id: ups-1, name: 1号UPS, site: prov, room: f3, template: ups-rfc1628, snmp: { host: 10.0.0.1, community: c } }
  - { id: ups-2, name: 2号UPS, site: prov, room: f3, template: apc-powernet-ups, snmp: { host: 10.0.0.2, community: c } }
  - { id: crac-1, name: 1号精密空调, site: prov, room: f3, template: crac-modbus-generic, modbus: { transport: tcp, host: 10.0.0.3 } }
  - { id: crac-2, name: 2号精密空调, site: prov, room: f3, template: liebert-gp-crac, snmp: { host: 10.0.0.4, community: c } }
  - { id: meter-1, name: 进线电表, site: prov, room: f3, template: sdm630, modbus: { transport: tcp, host: 10.0.0.5 } }
  - { id: leak-1, name: 空调区漏水检测, site: prov, room: f3, template: leak-detector-modbus, modbus: { transport: tcp, host: 10.0.0.6 } }
  - { id: th-1, name: 机房温湿度, site: prov, room: f3, template: th-sensor-modbus, modbus: { transport: tcp, host: 10.0.0.7 } }
`;

export interface TestRoom {
  config: RoomwatchConfig;
  directory: Directory;
  rules: DeviceRuleBook;
  /** An alert of this device's rule as the alert book makes it, raised at `at` with `value`. */
  alert(device: string, rule: string, options: { value?: number | string; at?: number; labels?: Record<string, string>; context?: ContextReading[] }): Alert;
}

export function testRoom(): TestRoom {
  const dir = mkdtempSync(join(tmpdir(), 'render-room-'));
  const file = join(dir, 'roomwatch.yaml');
  writeFileSync(file, YAML);
  const loaded = loadConfig(file, {});
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  const config = loaded.config;
  const rules = new DeviceRuleBook(config.devices, config.alerting);
  return {
    config,
    directory: new Directory(config),
    rules,
    alert(device, name, { value, at = T0, labels = {}, context }) {
      const rule = rules.allFor(device).find((r) => r.name === name);
      if (!rule) throw new Error(`${device} has no rule ${name}`);
      const key = [name, device, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)].join('|');
      // A book per alert: cases raise the same rule more than once (an alert and its later occurrence).
      const event = new AlertBook().apply({ kind: 'firing', key, rule, device, labels, value, at });
      if (!event) throw new Error(`${key} opened no alert`);
      if (context) event.alert.context = context;
      return event.alert;
    },
  };
}
