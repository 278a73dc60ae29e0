import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config/load.js';
import { SIMULATOR_SERVERS, simulatorServerFor } from './registry.js';

function devices(lines: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sim-servers-'));
  const file = join(dir, 'room.yaml');
  writeFileSync(
    file,
    `influxdb: { url: "http://127.0.0.1:1", database: sim }
sites: [{ id: s, rooms: [{ id: r }] }]
buses: [{ id: rs485, transport: rtu, serial_path: ${join(dir, 'tty')} }]
devices:
${lines}`,
  );
  const loaded = loadConfig(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return new Map(loaded.config.devices.map((d) => [d.id, d]));
}

describe('simulator servers', () => {
  const specs = devices(`  - { id: ups-here, site: s, room: r, template: ups-rfc1628, snmp: { host: 127.0.0.1, community: c } }
  - { id: ups-there, site: s, room: r, template: ups-rfc1628, snmp: { host: 10.1.2.3, community: c } }
  - { id: meter-here, site: s, room: r, template: sdm630, modbus: { transport: tcp, host: localhost, port: 1502 } }
  - { id: meter-there, site: s, room: r, template: sdm630, modbus: { transport: tcp, host: 10.1.2.9 } }
  - { id: crac-serial, site: s, room: r, template: crac-modbus-generic, modbus: { bus: rs485, unit_id: 5 } }
`);

  it('lists one server per driver, snmp before modbus', () => {
    expect(SIMULATOR_SERVERS.map((s) => s.driver)).toEqual(['snmp', 'modbus']);
  });

  it("picks the device's driver's server when the device is on loopback or a serial line, and none otherwise", () => {
    const chosen = Object.fromEntries([...specs].map(([id, spec]) => [id, simulatorServerFor(spec)?.driver]));
    expect(chosen).toEqual({ 'ups-here': 'snmp', 'ups-there': undefined, 'meter-here': 'modbus', 'meter-there': undefined, 'crac-serial': 'modbus' });
  });
});
