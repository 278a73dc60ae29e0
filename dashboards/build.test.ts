import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type RoomwatchConfig } from '../app/config/load.js';
import { projectRoot } from '../common/config/project-root.js';
import { buildDashboards, buildProvisioning } from './build.js';

const ROOT = projectRoot();
const DEMO = join(ROOT, 'config', 'demo');
const COMMITTED = join(DEMO, 'grafana');
/** The committed tree is built for Grafana seeing it at this path (a container mount): see docs. */
export const DEMO_GRAFANA_DIR = '/etc/grafana/roomwatch';

interface Panel {
  title: string;
  type: string;
  interval?: string;
  fieldConfig: { defaults: { unit?: string; thresholds: { steps: unknown[] }; mappings: Array<{ options: Record<string, { text: string }> }> } };
  targets: Array<{ refId: string; hide?: boolean; alias?: string; query: string }>;
}

function demoConfig(): RoomwatchConfig {
  const loaded = loadConfig(join(DEMO, 'roomwatch.yaml'), { ...process.env, ROOMWATCH_API_TOKEN: 'test-token' });
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  return loaded.config;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('dashboards for the demo config', () => {
  it('are committed exactly as generation makes them (regenerate: roomwatch dashboards build --config config/demo/roomwatch.yaml --out config/demo/grafana --grafana-dir /etc/grafana/roomwatch)', () => {
    const generated = buildProvisioning(demoConfig(), join(DEMO_GRAFANA_DIR, 'dashboards'));
    const committed = existsSync(COMMITTED) ? filesUnder(COMMITTED).map((f) => relative(COMMITTED, f)).sort() : [];
    const differing = generated.filter((f) => !existsSync(join(COMMITTED, f.path)) || readFileSync(join(COMMITTED, f.path), 'utf8') !== f.content).map((f) => f.path);
    const stale = committed.filter((path) => !generated.some((f) => f.path === path));
    expect({ differing, stale }, `config/demo/grafana is out of date: ${[...differing, ...stale].join(', ')}`).toEqual({ differing: [], stale: [] });
  });

  it('is the same bytes on every run', () => {
    const config = demoConfig();
    expect(buildProvisioning(config, '/x')).toEqual(buildProvisioning(demoConfig(), '/x'));
  });

  it('takes units, states and limits from the templates, and shows display names', () => {
    const boards = buildDashboards(demoConfig());
    const overview = boards.find((b) => b.path === 'dashboards/roomwatch-room-overview.json')!.dashboard as { panels: Panel[] };
    const byTitle = (title: string) => overview.panels.find((p) => p.title === title)!;
    const inlet = byTitle('温湿度 Temperature and humidity · temperature');
    expect(inlet.fieldConfig.defaults.unit).toBe('celsius');
    // th-sensor-modbus: below 15 major, below 18 minor, above 27 major, above 32 critical.
    expect(inlet.fieldConfig.defaults.thresholds.steps).toEqual([
      { value: null, color: 'orange' },
      { value: 15, color: 'yellow' },
      { value: 18, color: 'green' },
      { value: 27, color: 'orange' },
      { value: 32, color: 'red' },
    ]);
    expect(inlet.targets[0]!.alias).toBe('$tag_room_name / $tag_device_name');
    const leak = byTitle('漏水 Water leak · leak_detected');
    expect(leak.type).toBe('state-timeline');
    expect(leak.fieldConfig.defaults.mappings[0]!.options['1']!.text).toBe('检测到漏水 / leak detected');
    expect(byTitle('UPS · battery_runtime_remaining').fieldConfig.defaults.unit).toBe('m');
    const pue = byTitle('PUE 电能利用效率');
    expect(pue.targets.map((t) => [t.refId, t.hide ?? false])).toEqual([['A', true], ['B', true], ['PUE', false]]);
    expect(pue.targets[2]).toEqual({ refId: 'PUE', datasource: { type: '__expr__', uid: '__expr__' }, type: 'math', expression: '$A / $B' });
    for (const panel of overview.panels) expect(panel.interval, panel.title).toBe('10s');
  });

  it('gives a template that no code knows its own dashboard and panels', () => {
    const config = demoConfig();
    const base = config.templates.get('th-sensor-modbus')!;
    const novel = { ...base, name: 'novel-dew-sensor', category: 'dew_point', measurement: 'dew', points: [{ ...(base.points[0] as object), field: 'dew_point', measurement: 'dew', unit: 'degC', tags: {} }] as typeof base.points, rules: [] };
    const device = { ...config.devices[0]!, id: 'dew-1', name: '露点传感器', template: novel };
    const boards = buildDashboards({ ...config, devices: [...config.devices, device] });
    const dew = boards.find((b) => b.path === 'dashboards/devices/roomwatch-dew_point.json')!.dashboard as { panels: Panel[] };
    expect(dew.panels.map((p) => [p.title, p.fieldConfig.defaults.unit])).toEqual([['dew_point (degC)', 'celsius']]);
    expect(dew.panels[0]!.targets[0]!.query).toContain('FROM "raw"."dew"');
  });

  it('has no PUE panel where no meter carries a power role', () => {
    const config = demoConfig();
    const devices = config.devices.map((d) => ({ ...d, tags: Object.fromEntries(Object.entries(d.tags).filter(([k]) => k !== 'power_role')) }));
    const overview = buildDashboards({ ...config, devices }).find((b) => b.path === 'dashboards/roomwatch-room-overview.json')!.dashboard as { panels: Array<{ title: string }> };
    expect(overview.panels.some((p) => p.title.startsWith('PUE'))).toBe(false);
  });

  it('asks a point only some models have of those models only, and says so when a room has none', () => {
    const boards = buildDashboards(demoConfig());
    const ups = boards.find((b) => b.path === 'dashboards/devices/roomwatch-ups.json')!.dashboard as { panels: Array<Panel & { fieldConfig: { defaults: { noValue?: string } } }> };
    const byTitle = (title: string) => ups.panels.find((p) => p.title === title)!;
    // battery_replace_indicator is in apc-powernet-ups only; output_load in both UPS templates.
    const replace = byTitle('battery_replace_indicator');
    expect(replace.targets[0]!.query).toContain(`"device_type" =~ /^(apc-powernet-ups)$/`);
    expect(replace.fieldConfig.defaults.noValue).toBe('本机房无此型号设备（apc-powernet-ups）/ no apc-powernet-ups device here');
    const load = byTitle('output_load (%)');
    expect(load.targets[0]!.query).not.toContain('device_type');
    expect(load.fieldConfig.defaults.noValue).toBeUndefined();
  });

  it('computes PUE from the meters of rooms with both roles, whatever room is chosen', () => {
    const overview = buildDashboards(demoConfig()).find((b) => b.path === 'dashboards/roomwatch-room-overview.json')!.dashboard as { panels: Panel[] };
    const pue = overview.panels.find((p) => p.title.startsWith('PUE'))!;
    for (const target of pue.targets.slice(0, 2)) {
      expect(target.query).toContain(`"device" =~ /^(meter-1|meter-3)$/`);
      expect(target.query).not.toContain('$room');
    }
  });
});
