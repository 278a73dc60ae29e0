import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RoomwatchConfig } from '../../app/config/load.js';
import { formatIssue } from '../../common/config/yaml-source.js';
import { freePort } from '../../mocks/influxd.js';
import { apiSection } from './api-auth.js';

export interface SimRoom {
  file: string;
  dir: string;
  config: RoomwatchConfig;
  ports: Record<string, number>;
  serialPath: string;
}

/** The room's `api:` line as written: tests replace it with one of their own (apiSection with their port). */
export const SIM_ROOM_API = apiSection('127.0.0.1:0');

/** A room with one device of every kind and transport, on free ports, as a roomwatch config file. */
export async function writeSimRoom(influxUrl = 'http://127.0.0.1:1', intervalSeconds = 1): Promise<SimRoom> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-room-'));
  const names = ['ups1', 'ups2', 'crac1', 'apc', 'crac2', 'meter1', 'gateway'];
  const ports: Record<string, number> = {};
  for (const name of names) ports[name] = await freePort();
  const serialPath = join(dir, 'ttyRS485');
  const file = join(dir, 'room.yaml');
  writeFileSync(
    file,
    `influxdb: { url: "${influxUrl}", database: sim, flush_interval: 200ms }
spool: { dir: spool }
${SIM_ROOM_API}
collector: { default_interval: ${intervalSeconds}s, jitter: 0.05 }
sites:
  - id: site-1
    rooms: [{ id: room-1 }, { id: room-2 }]
buses:
  - { id: rs485, transport: rtu, serial_path: ${serialPath}, baud_rate: 9600 }
  - { id: gw, transport: rtu-over-tcp, host: 127.0.0.1, port: ${ports.gateway} }
devices:
  - { id: ups-1, site: site-1, room: room-1, template: ups-rfc1628, labels: { phases: "3" }, snmp: { host: 127.0.0.1, port: ${ports.ups1}, community: sim-public, timeout: 500ms } }
  - { id: ups-2, site: site-1, room: room-1, template: ups-rfc1628, labels: { phases: "3" }, snmp: { host: 127.0.0.1, port: ${ports.ups2}, version: "3", user: simuser, security_level: authPriv, auth_protocol: sha, auth_key: sim-auth-key, priv_protocol: aes, priv_key: sim-priv-key, timeout: 500ms } }
  - { id: crac-1, site: site-1, room: room-1, template: liebert-gp-crac, snmp: { host: 127.0.0.1, port: ${ports.crac1}, community: sim-public, timeout: 500ms } }
  - { id: ups-3, site: site-1, room: room-2, template: apc-powernet-ups, snmp: { host: 127.0.0.1, port: ${ports.apc}, community: sim-public, timeout: 500ms } }
  - { id: crac-2, site: site-1, room: room-1, template: crac-modbus-generic, modbus: { transport: tcp, host: 127.0.0.1, port: ${ports.crac2}, timeout: 500ms } }
  - { id: meter-1, site: site-1, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${ports.meter1}, timeout: 500ms } }
  - { id: crac-3, site: site-1, room: room-2, template: crac-modbus-generic, modbus: { bus: rs485, unit_id: 5, timeout: 500ms } }
  - { id: th-1, site: site-1, room: room-1, template: th-sensor-modbus, modbus: { bus: gw, unit_id: 1, timeout: 500ms } }
  - { id: leak-1, site: site-1, room: room-1, template: leak-detector-modbus, modbus: { bus: gw, unit_id: 2, timeout: 500ms } }
  - { id: meter-2, site: site-1, room: room-2, template: sdm630, modbus: { bus: gw, unit_id: 3, timeout: 500ms } }
`,
  );
  const loaded = loadConfig(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return { file, dir, config: loaded.config, ports, serialPath };
}
