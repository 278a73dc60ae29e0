import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/load.js';
import { projectRoot } from '../../common/config/project-root.js';
import { buildDashboards } from '../../dashboards/build.js';

// Grafana's own JSON schemas (../shared/grafana, from grafana-foundation-sdk): the dashboard model,
// then each panel's options and field-config custom part against its panel type's schema.
const ROOT = projectRoot();
const SCHEMAS = join(ROOT, '..', 'shared', 'grafana', 'jsonschema');
/** Panel plugin ids whose schema file is named differently (../shared/grafana/README.md). */
const SCHEMA_FILE: Readonly<Record<string, string>> = { 'state-timeline': 'statetimeline', 'status-history': 'statushistory', annolist: 'annotationslist', dashlist: 'dashboardlist' };

const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
const readSchema = (name: string) => JSON.parse(readFileSync(join(SCHEMAS, `${name}.jsonschema.json`), 'utf8')) as { definitions: Record<string, unknown> };
const dashboardSchema = ajv.compile(readSchema('dashboard'));
const panelSchemas = new Map<string, { options?: ValidateFunction; custom?: ValidateFunction }>();

function panelSchema(type: string) {
  let found = panelSchemas.get(type);
  if (!found) {
    const schema = readSchema(SCHEMA_FILE[type] ?? type);
    // The panel files define Options and FieldConfig without a root: each is compiled as the root of a copy.
    const part = (name: string) => (schema.definitions[name] ? ajv.compile({ ...schema, $ref: `#/definitions/${name}` }) : undefined);
    found = { options: part('Options'), custom: part('FieldConfig') };
    panelSchemas.set(type, found);
  }
  return found;
}

const errors = (validate: ValidateFunction) => ajv.errorsText(validate.errors, { separator: '; ' });

const loaded = loadConfig(join(ROOT, 'config', 'demo', 'roomwatch.yaml'), { ...process.env, ROOMWATCH_API_TOKEN: 'test-token' });
if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
const boards = buildDashboards(loaded.config);

describe('generated dashboards against Grafana JSON schemas', () => {
  it('generates the overview, province, fault and one dashboard per device category of the demo', () => {
    expect(boards.map((b) => b.path)).toEqual([
      'dashboards/devices/roomwatch-crac.json',
      'dashboards/devices/roomwatch-environment.json',
      'dashboards/devices/roomwatch-leak.json',
      'dashboards/devices/roomwatch-power_meter.json',
      'dashboards/devices/roomwatch-ups.json',
      'dashboards/roomwatch-faults.json',
      'dashboards/roomwatch-province.json',
      'dashboards/roomwatch-room-overview.json',
    ]);
  });

  it.each(boards.map((b) => [b.path, b.dashboard] as const))('%s validates as a dashboard, and each panel against its panel type', (_path, dashboard) => {
    expect(dashboardSchema(dashboard), errors(dashboardSchema)).toBe(true);
    const panels = dashboard.panels as Array<{ title: string; type: string; options?: unknown; fieldConfig?: { defaults?: { custom?: unknown } } }>;
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) {
      const schema = panelSchema(panel.type);
      expect(schema.options, `${panel.type} has an Options schema`).toBeDefined();
      expect(schema.options!(panel.options ?? {}), `${panel.title} options: ${errors(schema.options!)}`).toBe(true);
      const custom = panel.fieldConfig?.defaults?.custom;
      if (custom !== undefined && schema.custom) expect(schema.custom(custom), `${panel.title} fieldConfig.defaults.custom: ${errors(schema.custom)}`).toBe(true);
    }
  });
});
