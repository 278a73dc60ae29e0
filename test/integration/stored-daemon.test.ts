import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mocks/influxd.js';
import { daemonTestBed } from '../helpers/daemon-bed.js';
import { eventually, ROOT, startDaemon, startModbusSlave } from '../helpers/processes.js';
import { apiJson, apiSection } from '../helpers/api-auth.js';

const { influxd, children } = daemonTestBed();

describe('roomwatch run stores what dashboards read', () => {
  it('names every reading point and writes alert_status per room and severity, with a device down', async () => {
    const modbusPort = await freePort();
    const downPort = await freePort();
    const apiPort = await freePort();
    children.push(await startModbusSlave(join(ROOT, 'test', 'fixtures', 'sdm630-small.json'), 'tcp', { port: modbusPort }));
    const dir = mkdtempSync(join(tmpdir(), 'stored-daemon-'));
    const file = join(dir, 'roomwatch.yaml');
    const db = 'stored_daemon';
    writeFileSync(
      file,
      `influxdb: { url: "${influxd.url}", database: ${db}, flush_interval: 200ms }
spool: { dir: spool }
${apiSection(`127.0.0.1:${apiPort}`)}
alerting: { state_dir: alerts }
collector: { default_interval: 1s }
sites:
  - id: prov
    name: 省公司
    rooms: [{ id: room-1, name: 三楼主机房 }, { id: room-2 }]
devices:
  - { id: meter-ok, name: 1号进线电表, site: prov, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${modbusPort}, timeout: 500ms } }
  - { id: meter-down, site: prov, room: room-2, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${downPort}, timeout: 300ms, retries: 0 } }
`,
    );
    const daemon = startDaemon(file);
    children.push(daemon);
    await daemon.waitFor('roomwatch running');

    const meter = await eventually(
      async () => (await influxd.query<Record<string, string>>(db, `SELECT voltage, site_name, room_name, device_name FROM power_meter WHERE device = 'meter-ok' LIMIT 1`)).at(0),
      20_000,
      'meter readings',
    );
    expect(meter).toMatchObject({ site_name: '省公司', room_name: '三楼主机房', device_name: '1号进线电表' });
    const health = await eventually(async () => (await influxd.query<Record<string, string>>(db, `SELECT comms, room_name, device_name FROM device_health WHERE device = 'meter-down' LIMIT 1`)).at(0), 20_000, 'health of the down meter');
    expect(health).toMatchObject({ room_name: 'room-2', device_name: 'meter-down' });

    // The comms alert opens after three failed polls; the next alert_status tick counts it.
    const { active } = await eventually(async () => {
      const body = (await apiJson<{ active: Array<{ key: string; rule: string; severity: string; labels: Record<string, string> }> }>(`http://127.0.0.1:${apiPort}/api/alerts`));
      return body.active.some((a) => a.rule === 'device_comms_lost') ? body : undefined;
    }, 20_000, 'the comms alert');
    const comms = active.find((a) => a.rule === 'device_comms_lost')!;
    // Alerting never sees the name tags: the same series key and labels as without them.
    expect(comms.key).toBe('device_comms_lost|meter-down');
    expect(Object.keys(comms.labels).filter((k) => k.endsWith('_name'))).toEqual([]);

    const counted = await eventually(async () => {
      const rows = await influxd.query<{ room: string; severity: string; active: number; unacknowledged: number; site_name: string; room_name: string }>(
        db, `SELECT last(active) AS active, last(unacknowledged) AS unacknowledged FROM alert_status GROUP BY room, severity, site_name, room_name`,
      );
      return rows.find((r) => r.room === 'room-2' && r.severity === comms.severity && r.active >= 1) ? rows : undefined;
    }, 30_000, 'alert_status counting the comms alert');
    expect(counted).toHaveLength(2 * 4);
    const row = (room: string, severity: string) => counted.find((r) => r.room === room && r.severity === severity)!;
    expect(row('room-2', comms.severity)).toMatchObject({ active: 1, unacknowledged: 1, site_name: '省公司', room_name: 'room-2' });
    expect(row('room-1', comms.severity)).toMatchObject({ active: 0, unacknowledged: 0, room_name: '三楼主机房' });

    const events = await eventually(async () => (await influxd.query<Record<string, string>>(db, `SELECT * FROM events.alert_events WHERE rule = 'device_comms_lost'`)).at(0), 20_000, 'the alert event');
    expect(events).toMatchObject({ site_name: '省公司', room_name: 'room-2', device_name: 'meter-down' });
    expect(Object.keys(events).filter((k) => k.startsWith('label_'))).toEqual([]);
    expect(await daemon.stop()).toBe(0);
  });
});
