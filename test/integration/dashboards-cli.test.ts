import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/processes.js';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => (statSync(join(dir, entry)).isDirectory() ? filesUnder(join(dir, entry)) : [join(dir, entry)]));

describe('roomwatch dashboards build', () => {
  it('writes the provisioning tree for the demo config, identical to the committed one', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dash-'));
    const result = await runCli(['dashboards', 'build', '--config', join(ROOT, 'config', 'demo', 'roomwatch.yaml'), '--out', out, '--grafana-dir', '/etc/grafana/roomwatch']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`point Grafana's provisioning path at ${join(out, 'provisioning')}`);
    const committed = join(ROOT, 'config', 'demo', 'grafana');
    const written = filesUnder(out).map((f) => relative(out, f)).sort();
    expect(written).toEqual(filesUnder(committed).map((f) => relative(committed, f)).sort());
    for (const file of written) expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(committed, file), 'utf8'));
  });

  it('points Grafana at the configured database and keeps the InfluxDB password out of every file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dash-secret-'));
    const config = join(dir, 'roomwatch.yaml');
    writeFileSync(
      config,
      `influxdb: { url: "http://10.1.2.3:8086", database: rw_prod, username: grafana_reader, password: "s3cret-influx-pw" }
dashboards: { datasource: { uid: prod-influx, url: "http://influx.internal:8086" }, folder: 动力环境 }
sites: [{ id: hz, name: 杭州, rooms: [{ id: r1, name: 一号机房 }] }]
devices:
  - { id: m1, name: 进线电表, site: hz, room: r1, template: sdm630, modbus: { transport: tcp, host: 10.0.0.6 } }
`,
    );
    const out = join(dir, 'out');
    const result = await runCli(['dashboards', 'build', '--config', config, '--out', out]);
    expect(result.code).toBe(0);
    const files = filesUnder(out);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain('s3cret-influx-pw');
    const ds = parse(readFileSync(join(out, 'provisioning', 'datasources', 'roomwatch.yaml'), 'utf8')) as { datasources: Array<Record<string, unknown>> };
    expect(ds.datasources[0]).toMatchObject({
      uid: 'prod-influx',
      type: 'influxdb',
      url: 'http://influx.internal:8086',
      user: 'grafana_reader',
      jsonData: { dbName: 'rw_prod', version: 'InfluxQL' },
      secureJsonData: { password: '${ROOMWATCH_INFLUXDB_PASSWORD}' },
    });
    const provider = parse(readFileSync(join(out, 'provisioning', 'dashboards', 'roomwatch.yaml'), 'utf8')) as { providers: Array<{ folder: string; options: { path: string } }> };
    expect(provider.providers[0]).toMatchObject({ folder: '动力环境', options: { path: join(out, 'dashboards') } });
    const meter = JSON.parse(readFileSync(join(out, 'dashboards', 'devices', 'roomwatch-power_meter.json'), 'utf8')) as { panels: Array<{ targets: Array<{ datasource: { uid: string } }> }> };
    expect(meter.panels[0]!.targets[0]!.datasource.uid).toBe('prod-influx');
  });

  it('says what it needs when --out is missing', async () => {
    const result = await runCli(['dashboards', 'build', '--config', join(ROOT, 'config', 'demo', 'roomwatch.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--config FILE and --out DIR are required');
  });
});
