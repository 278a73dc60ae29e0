import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/processes.js';

const RULE_TAIL = 'severity: minor, source: test source, summary: { en: x, zh-CN: x }';

/** A workspace with a CRAC template whose rules are the given flow mappings (line 10 on). */
function workspace(templateRules: string[], alertingRules: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'difference-validate-'));
  mkdirSync(join(dir, 'tpl'));
  writeFileSync(
    join(dir, 'tpl', 'crac-x.yaml'),
    `name: crac-x
description: test CRAC
driver: modbus
category: crac
measurement: crac
points:
  - { field: temperature, register: 30001, type: int16, scale: 0.1, unit: degC, tags: { sensor: return_air } }
  - { field: temperature, register: 30003, type: int16, scale: 0.1, unit: degC, tags: { sensor: supply_air } }
rules:
${templateRules.map((r) => `  - { ${r}, ${RULE_TAIL} }`).join('\n')}
`,
  );
  writeFileSync(
    join(dir, 'roomwatch.yaml'),
    `sites: [{ id: s, rooms: [{ id: r }] }]
templates: [tpl]
alerting:
  rules:
${alertingRules.map((r) => `    - { ${r}, ${RULE_TAIL} }`).join('\n') || '    []'}
devices:
  - { id: c1, site: s, room: r, template: crac-x, modbus: { transport: tcp, host: 127.0.0.1 } }
`,
  );
  return dir;
}

async function validate(dir: string) {
  const result = await runCli(['validate', '--config', join(dir, 'roomwatch.yaml')]);
  return { ...result, tpl: join(dir, 'tpl', 'crac-x.yaml'), main: join(dir, 'roomwatch.yaml') };
}

describe('roomwatch validate: difference rules (two points of a device)', () => {
  it('accepts a template difference rule and the shipped CRAC templates', async () => {
    const result = await validate(workspace(['name: dt_low, field: temperature, tags: { sensor: return_air }, minus: { field: temperature, tags: { sensor: supply_air } }, below: 3, clear_above: 5, for: 10m']));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('names a subtracted field no point produces, and "equals" on a difference rule, at their lines', async () => {
    const { code, stderr, tpl } = await validate(
      workspace([
        'name: dt_low, field: temperature, tags: { sensor: return_air }, minus: { field: supply_temperature }, below: 3',
        'name: dt_state, field: temperature, minus: { field: temperature, tags: { sensor: supply_air } }, equals: [1]',
      ]),
    );
    expect(code).toBe(1);
    expect(stderr).toContain(`${tpl}:10:87: rules[0].minus.field: rule subtracts field "supply_temperature", which no point of this template produces`);
    expect(stderr).toContain(`${tpl}:11:112: rules[1].equals: a difference rule (minus) takes "above" or "below", not "equals"`);
  });

  it('names a "when" on a rule without "minus", and a "when" field no point produces, at their lines', async () => {
    const { code, stderr, tpl } = await validate(
      workspace([
        'name: hot, field: temperature, tags: { sensor: return_air }, when: { field: temperature, equals: [1] }, above: 30',
        'name: dt_low, field: temperature, tags: { sensor: return_air }, minus: { field: temperature, tags: { sensor: supply_air } }, when: { field: operating_state, equals: [1] }, below: 3',
      ]),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`${tpl.replace(/[.]/g, '\\.')}:10:\\d+: rules\\[0\\]\\.when: "when" only applies to a difference rule \\(one with "minus"\\)`));
    expect(stderr).toMatch(new RegExp(`${tpl.replace(/[.]/g, '\\.')}:11:\\d+: rules\\[1\\]\\.when\\.field: rule applies "when" field "operating_state", which no point of this template produces`));
  });

  it('refuses an unknown key inside "minus" with the keys it takes', async () => {
    const { code, stderr, tpl } = await validate(workspace(['name: dt_typo, field: temperature, minus: { field: temperature, sensor: supply_air }, below: 3']));
    expect(code).toBe(1);
    expect(stderr).toContain(`${tpl}:10:71: rules[0].minus.sensor: unknown key "sensor"; expected one of: field, measurement, tags`);
  });

  it('says what a new difference rule in alerting.rules is missing', async () => {
    const { code, stderr, main } = await validate(
      workspace(
        ['name: dt_low, field: temperature, minus: { field: temperature }, below: 3'],
        [
          'name: inlet_vs_supply, kind: difference, field: temperature, measurement: crac, below: 2',
          'name: inlet_rate, kind: rate, field: temperature, measurement: crac, minus: { field: temperature }, rise: 2, window: 5m',
          'name: inlet_gap, field: temperature, measurement: crac, minus: { field: temperature }, equals: [0]',
        ],
      ),
    );
    expect(code).toBe(1);
    expect(stderr).toContain(`${main}:5:7: alerting.rules[0]: a difference rule needs "minus": the point subtracted from "temperature"`);
    expect(stderr).toMatch(new RegExp(`${main}:6:\\d+: alerting\\.rules\\[1\\]\\.minus: "minus" only applies to kind difference, not rate`));
    expect(stderr).toContain(`${main}:7:7: alerting.rules[2]: a difference rule (minus) takes "above" or "below", not "equals", "rise" or "fall"`);
  });
});
