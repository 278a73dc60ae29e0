import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../collector/templates/compile.js';
import { BUILTIN_TEMPLATE_DIR, loadTemplates } from '../../collector/templates/load.js';
import type { StateName } from '../../common/contracts/device.js';
import { formatIssue, YamlSource } from '../../common/config/yaml-source.js';
import { templateRules } from './template-rules.js';

const FILE = '/t/acme-ups.yaml';

/** A small UPS template; `rules` and `extraPoints` are YAML list entries, one per line (rules from line 12). */
function ups(rules: string[], { category = 'ups', extraPoints = [] as string[] } = {}) {
  const text = `name: acme-ups
description: test
driver: snmp
category: ${category}
measurement: ups
points:
  - { field: output_source, oid: 1.3.6.1.2.1.33.1.4.1.0, states: { "3": normal, "5": { en: on battery, zh-CN: 电池供电 } } }
  - { field: battery_charge, oid: 1.3.6.1.2.1.33.1.2.4.0 }
  - { field: input_voltage, column: 1.3.6.1.2.1.33.1.3.3.1.3, index_tag: phase }
  - { field: output_load, oid: 1.3.6.1.4.1.9.9.0, tags: { phase: "1" } }
${extraPoints.map((p) => `  - ${p}`).join('\n')}${extraPoints.length ? '\n' : ''}rules:${rules.length ? '' : ' []'}
${rules.map((r) => `  - ${r}`).join('\n')}
`;
  const result = compileTemplate(new YamlSource(FILE, text), templateRules);
  return { ...result, errors: result.issues.map(formatIssue), rules: result.template?.rules ?? [] };
}

const HEAD = 'name: on_battery, field: output_source, equals: [5], severity: critical, source: RFC 1628, summary: { en: On battery, zh-CN: 电池供电 }';

describe('template rule message keys', () => {
  it('compile advice, context (measurement from the rule) and an explicit category', () => {
    const { errors, rules } = ups([
      `{ ${HEAD}, category: environment, advice: { en: [Check mains, Plan shutdown], zh-CN: [检查市电, 安排关机] }, context: [{ field: battery_charge }, { field: input_voltage, tags: { phase: "1" } }] }`,
    ]);
    expect(errors).toEqual([]);
    expect(rules[0]).toMatchObject({
      advice: { en: ['Check mains', 'Plan shutdown'], 'zh-CN': ['检查市电', '安排关机'] },
      context: [
        { measurement: 'ups', field: 'battery_charge' },
        { measurement: 'ups', field: 'input_voltage', tags: { phase: '1' } },
      ],
      category: 'environment',
    });
  });

  it('default the category from the template category and the context to none', () => {
    const rule = { name: 'hot', field: 'battery_charge', below: 1 };
    const line = `{ name: ${rule.name}, field: ${rule.field}, below: ${rule.below}, severity: minor, source: test, summary: { en: x, zh-CN: x } }`;
    const categories = ['ups', 'power_meter', 'crac', 'environment', 'leak'].map((category) => ups([line], { category }).rules[0]?.category);
    expect(categories).toEqual(['power', 'power', 'cooling', 'environment', 'environment']);
    expect(ups([line]).rules[0]).toMatchObject({ context: [] });
    expect(ups([line]).rules[0]).not.toHaveProperty('advice', expect.anything());
  });

  it('refuse a context point no point of the template produces, and tags its points cannot carry', () => {
    const { errors } = ups([`{ ${HEAD}, context: [{ field: battery_runtime }, { field: battery_charge, measurement: crac }, { field: output_load, tags: { phase: "2" } }] }`]);
    expect(errors).toEqual([
      `${FILE}:12:159: rules[0].context[0].field: context point "ups.battery_runtime" is produced by no point of this template`,
      `${FILE}:12:187: rules[0].context[1].field: context point "crac.battery_charge" is produced by no point of this template`,
      `${FILE}:12:252: rules[0].context[2].tags: no point of this template producing "ups.output_load" carries the tags phase=2`,
    ]);
  });

  it('refuse a context point listed twice', () => {
    const { errors } = ups([`{ ${HEAD}, context: [{ field: battery_charge }, { field: battery_charge, measurement: ups }] }`]);
    expect(errors).toEqual([`${FILE}:12:177: rules[0].context[1]: context point "battery_charge" is listed twice`]);
  });

  it('refuse advice with different steps per language, a language missing, an empty step, and an unknown category', () => {
    expect(ups([`{ ${HEAD}, advice: { en: [Check mains, Plan shutdown], zh-CN: [检查市电] } }`]).errors).toEqual([
      `${FILE}:12:148: rules[0].advice: advice needs the same steps in both languages: en has 2, zh-CN has 1`,
    ]);
    const missing = ups([`{ ${HEAD}, advice: { en: [Check mains] } }`]).errors;
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(/^\/t\/acme-ups\.yaml:12:\d+: rules\[0\]\.advice: .*zh-CN/);
    const empty = ups([`{ ${HEAD}, advice: { en: [""], zh-CN: [] } }`]).errors;
    expect(empty).toHaveLength(2);
    expect(empty[0]).toMatch(/rules\[0\]\.advice\.en\[0\]: /);
    expect(empty[1]).toMatch(/rules\[0\]\.advice\.zh-CN: /);
    const category = ups([`{ ${HEAD}, category: hvac }`]).errors;
    expect(category).toHaveLength(1);
    expect(category[0]).toMatch(/^\/t\/acme-ups\.yaml:12:\d+: rules\[0\]\.category: .*power, cooling, environment, communication or roomwatch/);
  });
});

describe('point state names', () => {
  it('name a state in both languages, a plain string standing for both', () => {
    const { errors, template } = ups([]);
    expect(errors).toEqual([]);
    expect(template?.points[0]?.states).toEqual({ '3': { en: 'normal', 'zh-CN': 'normal' }, '5': { en: 'on battery', 'zh-CN': '电池供电' } });
  });

  it('refuse a state name missing a language or naming another key', () => {
    const { errors } = ups([], {
      extraPoints: ['{ field: battery_status, oid: 1.3.6.1.2.1.33.1.2.1.0, states: { "2": { en: normal }, "3": { en: low, zh-CN: 低, fr: bas } } }'],
    });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^\/t\/acme-ups\.yaml:11:\d+: points\[4\]\.states\[2\]: expected a state name, or its name in each language: \{ en: on battery, zh-CN: 电池供电 \}/);
    expect(errors[1]).toMatch(/^\/t\/acme-ups\.yaml:11:\d+: points\[4\]\.states\[3\]: expected a state name, or its name in each language/);
  });
});

describe('shipped templates', () => {
  const { templates, issues } = loadTemplates([BUILTIN_TEMPLATE_DIR], templateRules);
  const shipped = [...templates.values()];
  const han = /\p{Script=Han}/u;
  /** Written in both languages: Chinese in zh-CN, none in en (a plain-string name would be the same text twice). */
  const bilingual = (text: { en: string; 'zh-CN': string }) => han.test(text['zh-CN']) && !han.test(text.en);

  it('load', () => {
    expect(issues).toEqual([]);
    expect(shipped.length).toBeGreaterThan(0);
  });

  it('give every rule advice in both languages', () => {
    expect(shipped.flatMap((t) => t.rules).length).toBeGreaterThan(40);
    const without = shipped.flatMap((t) =>
      t.rules
        .filter((rule) => !rule.advice || !rule.advice.en.every((step, i) => bilingual({ en: step, 'zh-CN': rule.advice!['zh-CN'][i]! })))
        .map((rule) => `${t.name}: ${rule.name}`),
    );
    expect(without).toEqual([]);
  });

  it('name, in both languages, every state of a point a state rule reads', () => {
    expect(shipped.flatMap((t) => t.rules.filter((rule) => rule.kind === 'state')).length).toBeGreaterThan(15);
    const unnamed = shipped.flatMap((t) =>
      t.rules
        .filter((rule) => rule.kind === 'state')
        .flatMap((rule) => {
          const read = t.points.filter((p) => p.field === rule.field && p.measurement === rule.measurement);
          const equals = (rule.params as { equals: number[] }).equals;
          return read.flatMap((point) => {
            const names: Readonly<Record<string, StateName>> = point.states ?? {};
            const states = [...new Set([...equals.map(String), ...Object.keys(names)])];
            return states.filter((value) => !names[value] || !bilingual(names[value])).map((value) => `${t.name}: ${rule.name} ${point.field}=${value}`);
          });
        }),
    );
    expect(unnamed).toEqual([]);
  });
});
