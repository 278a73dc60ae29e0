import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config/load.js';
import { formatIssue } from '../../../common/config/yaml-source.js';
import { DeviceRuleBook } from '../../rulebook.js';
import { createState, evaluate, tick, type RuleBook, type Sample } from '../evaluate.js';
import { describeThreshold, type AlertRule } from '../rule.js';
import { difference, type DifferenceParams } from './difference.js';

const MIN = 60_000;
const DEVICE_TAGS = new Set(['site', 'room', 'device', 'device_type']);

/** Return air minus supply air below 3 K for 2 min (cleared above 5 K): cooling lost. */
const deltaT: AlertRule<DifferenceParams> = {
  name: 'delta_t_low', kind: difference, severity: 'minor', measurement: 'crac', field: 'temperature', tags: { sensor: 'return_air' },
  params: { below: 3, clearAbove: 5, minus: { measurement: 'crac', field: 'temperature', tags: { sensor: 'supply_air' } } },
  forMs: 2 * MIN, clearForMs: 0, summary: { en: 'x', 'zh-CN': 'x' }, source: 'test',
};

function book(rules: AlertRule[]): RuleBook {
  return { rulesFor: () => [], jointRulesFor: () => rules, allFor: () => rules, deviceTags: () => DEVICE_TAGS };
}
const temp = (sensor: string, value: number | null, extra: Record<string, string> = {}): Sample => ({
  measurement: 'crac', field: 'temperature', value, time: 0, tags: { site: 's', room: 'r', device: 'crac-1', sensor, ...extra },
});

/** One poll a minute on a fake clock: [return, supply] per poll (undefined = not read this poll). */
function run(polls: Array<[number | undefined, number | undefined]>, rules = book([deltaT])) {
  const state = createState();
  return polls.map(([ret, sup], i) => {
    const samples = [...(ret === undefined ? [] : [temp('return_air', ret)]), ...(sup === undefined ? [] : [temp('supply_air', sup)])];
    return evaluate(state, samples, rules, i * MIN).map((t) => `${t.kind}:${t.value}`).join(',');
  });
}

describe('difference rules', () => {
  it('fire when A minus B stays below the limit for "for", report the difference, and clear past the clear threshold', () => {
    // ΔT 6 K (cooling), then the compressor stops: supply air warms towards return air.
    const seen = run([[24, 18], [24.3, 21.5], [24.3, 22.1], [24.4, 22.2], [24.4, 22.3], [24.2, 20.1], [24.3, 19.4], [24.3, 18.1]]);
    // 4.1 and 4.9 K are past the limit but not past clear_above (5 K): still firing, showing each difference.
    expect(seen).toEqual(['', 'pending:2.8', '', 'firing:2.2', 'updated:2.1', 'updated:4.1', 'updated:4.9', 'resolved:6.2']);
  });

  it('hold while an input is missing: neither raise nor clear on one point alone', () => {
    const seen = run([[24, 22.5], [24, 22.5], [24, 22.5], [24, undefined], [24, undefined], [undefined, 18], [24, 18]]);
    expect(seen).toEqual(['pending:1.5', '', 'firing:1.5', '', '', '', 'resolved:6']);
  });

  it('hold on a null reading (sensor absent) as on a missing one', () => {
    const state = createState();
    const rules = book([{ ...deltaT, forMs: 0 }]);
    expect(evaluate(state, [temp('return_air', 20), temp('supply_air', 19)], rules, 0).map((t) => t.kind)).toEqual(['firing']);
    expect(evaluate(state, [temp('return_air', 26), temp('supply_air', null)], rules, MIN)).toEqual([]);
    expect(state.series.get('delta_t_low|crac-1')?.phase).toBe('firing');
  });

  it('let "for" elapse between polls through tick, as single-point rules do', () => {
    const state = createState();
    const rules = book([deltaT]);
    expect(evaluate(state, [temp('return_air', 20), temp('supply_air', 19)], rules, 0).map((t) => t.kind)).toEqual(['pending']);
    expect(tick(state, ['crac-1'], rules, 90_000, new Map()).map((t) => t.kind)).toEqual([]);
    expect(tick(state, ['crac-1'], rules, 2 * MIN, new Map()).map((t) => t.kind)).toEqual(['firing']);
  });

  it('pair the two points per the labels they share: one series per unit, named by the shared tags only', () => {
    const state = createState();
    const rules = book([{ ...deltaT, forMs: 0 }]);
    const t = evaluate(state, [temp('return_air', 24, { unit: '1' }), temp('supply_air', 18, { unit: '1' }), temp('return_air', 24, { unit: '2' }), temp('supply_air', 23, { unit: '2' })], rules, 0);
    expect(t.map((x) => [x.key, x.labels, x.value])).toEqual([['delta_t_low|crac-1|unit=2', { unit: '2' }, 1]]);
  });

  it('apply only in the states "when" names: outside them a firing alert clears, and nothing is raised', () => {
    const onOnly: AlertRule<DifferenceParams> = { ...deltaT, forMs: 0, params: { ...deltaT.params, when: { measurement: 'crac', field: 'operating_state', equals: [1] } } };
    const state = createState();
    const rules = book([onOnly]);
    const mode = (value: number): Sample => ({ measurement: 'crac', field: 'operating_state', value, time: 0, tags: { site: 's', room: 'r', device: 'crac-1' } });
    const poll = (ret: number, sup: number, on: number, at: number) => evaluate(state, [temp('return_air', ret), temp('supply_air', sup), mode(on)], rules, at).map((t) => `${t.kind}:${t.value}`);
    expect(poll(22, 21.5, 2, 0)).toEqual([]);
    expect(poll(24, 22.5, 1, MIN)).toEqual(['firing:1.5']);
    expect(poll(22, 21.8, 2, 2 * MIN)).toEqual(['resolved:0.2']);
    expect(describeThreshold(onOnly)).toBe('return_air − supply_air < 3 (operating_state = 1)');
  });

  it('describe themselves for messages', () => {
    expect(describeThreshold(deltaT)).toBe('return_air − supply_air < 3');
  });
});

describe('the shipped crac_delta_t_low rule', () => {
  it('is compiled from the CRAC templates as one two-point rule and fires after 10 minutes of a collapsed ΔT', () => {
    const dir = mkdtempSync(join(tmpdir(), 'difference-'));
    const file = join(dir, 'roomwatch.yaml');
    writeFileSync(file, `sites: [{ id: s, rooms: [{ id: r }] }]
devices:
  - { id: crac-1, site: s, room: r, template: crac-modbus-generic, modbus: { transport: tcp, host: 127.0.0.1 } }
  - { id: crac-2, site: s, room: r, template: liebert-gp-crac, snmp: { host: 127.0.0.1, community: c } }
`);
    const loaded = loadConfig(file, {});
    if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
    const rules = new DeviceRuleBook(loaded.config.devices, loaded.config.alerting);
    const condition = { 'crac-1': 'operating_state = 1', 'crac-2': 'system_state = 1' };
    for (const device of ['crac-1', 'crac-2'] as const) {
      const joint = rules.jointRulesFor(device);
      expect(joint.map((r) => [r.name, r.severity, r.explainedBy, describeThreshold(r)])).toEqual([['crac_delta_t_low', 'minor', 'mains_failure', `return_air − supply_air < 3 (${condition[device]})`]]);
      // Judged once per poll with both values, never once per temperature reading.
      expect(rules.rulesFor(device, 'crac', 'temperature').map((r) => r.name)).not.toContain('crac_delta_t_low');
    }
    const tags = loaded.config.devices[0]!.tags;
    /** Twelve minutes of one unit whose supply air warms to 23 °C after minute 2, in the given operating state. */
    const play = (operatingState: number) => {
      const state = createState();
      const seen: string[] = [];
      for (let minute = 0; minute <= 12; minute++) {
        const supply = minute < 2 ? 18 : 23;
        const samples: Sample[] = [
          { measurement: 'crac', field: 'temperature', value: 24.5, time: 0, tags: { ...tags, sensor: 'return_air' } },
          { measurement: 'crac', field: 'temperature', value: supply, time: 0, tags: { ...tags, sensor: 'supply_air' } },
          { measurement: 'crac', field: 'operating_state', value: operatingState, time: 0, tags },
        ];
        // Only this rule: the template's own crac_unit_off speaks for a unit that is off.
        seen.push(...evaluate(state, samples, rules, minute * MIN).filter((t) => t.rule.name === 'crac_delta_t_low').map((t) => `${minute}:${t.rule.name}:${t.kind}`));
      }
      return seen;
    };
    const seen = play(1);
    expect(seen).toEqual(['2:crac_delta_t_low:pending', '12:crac_delta_t_low:firing']);
    // The same air on a unit on standby (N+1 rotation, 2) or off (0) is no fault: nothing fires.
    expect(play(2)).toEqual([]);
    expect(play(0)).toEqual([]);
  });
});
