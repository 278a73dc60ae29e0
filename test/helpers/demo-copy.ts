import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort } from '../../mocks/influxd.js';
import { ROOT } from './processes.js';

type Doc = Record<string, unknown> & { devices?: Array<Record<string, Record<string, unknown>>>; buses?: Array<Record<string, unknown>> };

/**
 * The demo configuration (config/demo/roomwatch.yaml and its device files) copied into a
 * temporary directory with every port, path and address of its own, so a test can run the
 * demo's room beside a running demo. `overrides` are merged into the main file's sections.
 */
export async function copyDemoConfig(influxUrl: string, overrides: Record<string, Record<string, unknown>> = {}): Promise<{ dir: string; file: string }> {
  const source = join(ROOT, 'config', 'demo');
  const dir = mkdtempSync(join(tmpdir(), 'demo-copy-'));
  const ports = new Map<number, number>();
  const fresh = async (port: number) => {
    if (!ports.has(port)) ports.set(port, await freePort());
    return ports.get(port)!;
  };
  const rewrite = async (doc: Doc) => {
    for (const device of doc.devices ?? []) {
      const connection = device.snmp ?? device.modbus;
      if (connection && typeof connection.port === 'number') connection.port = await fresh(connection.port);
    }
    for (const bus of doc.buses ?? []) {
      if (typeof bus.port === 'number') bus.port = await fresh(bus.port);
      if (typeof bus.serial_path === 'string') bus.serial_path = join(dir, `tty-${String(bus.id)}`);
    }
    return doc;
  };
  const main = await rewrite(parse(readFileSync(join(source, 'roomwatch.yaml'), 'utf8')) as Doc);
  const merge = (key: string, value: Record<string, unknown>) => (main[key] = { ...(main[key] as Record<string, unknown> | undefined), ...value });
  merge('influxdb', { url: influxUrl });
  merge('spool', { dir: 'spool' });
  merge('alerting', { state_dir: 'alerts', console_url: 'http://127.0.0.1:1' });
  merge('api', { listen: '127.0.0.1:0' });
  for (const [key, value] of Object.entries(overrides)) merge(key, value);
  const file = join(dir, 'roomwatch.yaml');
  writeFileSync(file, stringify(main));
  for (const files of (main.device_files as string[] | undefined) ?? []) {
    mkdirSync(join(dir, files), { recursive: true });
    for (const name of readdirSync(join(source, files))) {
      if (!name.endsWith('.yaml')) {
        copyFileSync(join(source, files, name), join(dir, files, name));
        continue;
      }
      writeFileSync(join(dir, files, name), stringify(await rewrite(parse(readFileSync(join(source, files, name), 'utf8')) as Doc)));
    }
  }
  return { dir, file };
}
