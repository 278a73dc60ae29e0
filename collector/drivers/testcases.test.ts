import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { templateRules } from '../../alerting/config/template-rules.js';
import { BUILTIN_TEMPLATE_DIR, loadTemplates } from '../templates/load.js';
import type { Reading } from '../../common/contracts/reading.js';
import { DRIVERS } from './registry.js';

// Every driver's testcases/<case>/: device.yaml names the template (a built-in one, or one in the
// case's own templates/ folder), input.json is what the device answers (SNMP: varbinds
// [{ oid, type, value }]; Modbus: { "<fc>:<address>": [words] }), expected.json the readings it
// must turn into (time left out: replays run at time 0).
//
// A new case: write device.yaml and input.json, run this file once with
// ROOMWATCH_WRITE_EXPECTED=1 to write expected.json, then check every value in it by hand.
const here = dirname(fileURLToPath(import.meta.url));
const writeExpected = process.env.ROOMWATCH_WRITE_EXPECTED === '1';

/** The readings as JSON stores them: no time, no undefined keys. */
function comparable(readings: readonly Reading[]): unknown[] {
  return JSON.parse(JSON.stringify(readings.map(({ time: _time, ...rest }) => rest))) as unknown[];
}

async function replayCase(driverId: string, caseDir: string): Promise<unknown[]> {
  const driver = DRIVERS.find((d) => d.id === driverId)!;
  const device = parse(readFileSync(join(caseDir, 'device.yaml'), 'utf8')) as { template: string };
  const own = join(caseDir, 'templates');
  const set = loadTemplates([BUILTIN_TEMPLATE_DIR, ...(existsSync(own) ? [own] : [])], templateRules);
  if (set.issues.length) throw new Error(`${caseDir}: template problems: ${JSON.stringify(set.issues)}`);
  const template = set.templates.get(device.template);
  if (!template) throw new Error(`${caseDir}/device.yaml: no template "${device.template}"`);
  if (template.driver !== driver.id) throw new Error(`${caseDir}: template "${template.name}" uses ${template.driver}, not ${driver.id}`);
  const input: unknown = JSON.parse(readFileSync(join(caseDir, 'input.json'), 'utf8'));
  return comparable(await driver.replay(template, input, 0));
}

describe.each(DRIVERS.map((d) => [d.id]))('%s testcases', (driverId) => {
  const root = join(here, driverId, 'testcases');
  const cases = readdirSync(root).sort();

  it('has at least three cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases)('%s reads as expected.json', async (name) => {
    const readings = await replayCase(driverId, join(root, name));
    const file = join(root, name, 'expected.json');
    if (writeExpected) writeFileSync(file, `[\n${readings.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`);
    expect(readings).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});

describe('malformed recordings', () => {
  const template = loadTemplates([BUILTIN_TEMPLATE_DIR], templateRules).templates;
  const snmp = DRIVERS.find((d) => d.id === 'snmp')!;
  const modbus = DRIVERS.find((d) => d.id === 'modbus')!;

  it('name the varbind or register key that is wrong', async () => {
    await expect(snmp.replay(template.get('ups-rfc1628')!, [{ oid: '1.3.6.1.2.1.33.1.2.1.0', type: 'Integer', value: 2 }, { oid: '1.3.6.1.2.1.33.1.2.2.0', type: 'Integr', value: 1 }], 0)).rejects.toThrow(
      'varbind 1 (1.3.6.1.2.1.33.1.2.2.0): unknown SNMP type "Integr"',
    );
    await expect(snmp.replay(template.get('ups-rfc1628')!, { oid: '1.3' }, 0)).rejects.toThrow('an SNMP recording is a list of varbinds');
    await expect(modbus.replay(template.get('sdm630')!, { '30001': [1, 2] }, 0)).rejects.toThrow('"30001": keys are "<function code 1-4>:<0-based address>"');
    await expect(modbus.replay(template.get('sdm630')!, { '4:0': [70000] }, 0)).rejects.toThrow('"4:0": expected a list of 16-bit words (0-65535)');
  });
});
