import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateRules } from '../../alerting/config/template-rules.js';
import { BUILTIN_TEMPLATE_DIR, loadTemplates } from '../../collector/templates/load.js';
import { snmpRuntime } from '../../collector/drivers/snmp/runtime.js';
import type { RecordedVarbind } from '../../collector/drivers/snmp/replay.js';
import { typeNameOf } from '../../collector/drivers/snmp/decode.js';
import { REALDATA, expectedSnmpValues, realdataMismatches, sdm630Points, TEMPLATES_FOR } from '../helpers/realdata.js';

// The drivers' replay (the fake transport behind collector/drivers/*/testcases) checked against
// independent evidence: the real-device recordings, read straight from ../shared (never copied),
// must replay to the values realdata/snmp/expected.json states, as probe-realdata reads them
// over the wire from snmpsim.

// snmprec lines are oid|tag|value (snmpsim's format): the tag is the SMI type tag, with "x" after
// it for hex-encoded values.

function varbindsOf(device: string): RecordedVarbind[] {
  const text = readFileSync(join(REALDATA, 'snmp', 'recordings', `${device}.snmprec`), 'utf8');
  return text.split('\n').filter((line) => line.includes('|')).map((line) => {
    const [oid, tag, ...rest] = line.split('|') as [string, string, ...string[]];
    const raw = rest.join('|');
    const hex = tag.endsWith('x');
    const type = typeNameOf(Number(hex ? tag.slice(0, -1) : tag));
    if (!type) throw new Error(`${device}.snmprec: unknown tag ${tag}`);
    const text = hex ? Buffer.from(raw, 'hex').toString('utf8') : raw;
    const numeric = ['Integer', 'Counter32', 'Gauge32', 'TimeTicks', 'Counter64'].includes(type);
    return { oid, type, value: numeric ? Number(text) : text };
  });
}

describe('replayed real-device SNMP recordings read as realdata/snmp/expected.json says', () => {
  const templates = loadTemplates([BUILTIN_TEMPLATE_DIR], templateRules).templates;
  const expected = expectedSnmpValues();
  it.each(Object.keys(TEMPLATES_FOR))('%s', async (device) => {
    const recording = varbindsOf(device);
    const readings = [];
    for (const name of TEMPLATES_FOR[device]!) readings.push(...(await snmpRuntime.replay(templates.get(name)!, recording, 0)));
    const bySource = new Map(readings.map((r) => [r.source, r]));
    const cases = expected.filter((e) => e.device === device);
    expect(cases.length).toBeGreaterThan(0);
    const wrong = realdataMismatches(bySource, cases);
    expect(wrong).toEqual([]);
  });
});

describe('the SDM630 Modbus testcase', () => {
  it('expects, at every address realdata/modbus/sdm630.json lists, the value that file serves', () => {
    const dir = join(import.meta.dirname, '..', '..', 'collector', 'drivers', 'modbus', 'testcases', 'sdm630-three-phase');
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Array<{ source: string; value: number | null; unit: string }>;
    const bySource = new Map(expected.map((r) => [r.source, r]));
    const served = sdm630Points().filter((p) => p.function_code === 4);
    const compared = served.filter((p) => bySource.has(`4:${p.address}`));
    expect(compared.length).toBe(served.length);
    expect(compared.map((p) => bySource.get(`4:${p.address}`)!.value)).toEqual(compared.map((p) => p.simulator_value));
  });
});
