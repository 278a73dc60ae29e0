import { describe, expect, it } from 'vitest';
import type { ModbusPoint } from '../drivers/modbus/types.js';
import { templateRules } from '../../alerting/config/template-rules.js';
import { compileTemplate } from './compile.js';
import { BUILTIN_TEMPLATE_DIR, loadTemplates } from './load.js';
import { formatIssue, YamlSource } from '../../common/config/yaml-source.js';

const FILE = '/t/acme.yaml';

/** Compiles a Modbus template whose points are the given YAML flow mappings, one per line (line 7 on). */
function modbus(points: string[], extra = '') {
  const text = `name: acme
description: test
driver: modbus
category: ups
measurement: ups
points:
${points.map((p) => `  - ${p}`).join('\n')}
${extra}`;
  const result = compileTemplate(new YamlSource(FILE, text), templateRules);
  return {
    ...result,
    points: (result.template?.points ?? []) as ModbusPoint[],
    errors: result.issues.map(formatIssue),
    warnings: result.warnings.map(formatIssue),
  };
}

describe('binary_point', () => {
  it('scales by 2^-n and combines with offset', () => {
    const { points, errors } = modbus(['{ field: v, register: 30001, type: uint16, binary_point: 5, offset: -1 }']);
    expect(errors).toEqual([]);
    expect(points[0]).toMatchObject({ scale: 1 / 32, offset: -1 });
  });

  it('refuses scale and binary_point together', () => {
    const { errors } = modbus(['{ field: v, register: 30001, type: uint16, scale: 0.1, binary_point: 5 }']);
    expect(errors).toEqual([`${FILE}:7:60: points[0].binary_point: give either "scale" or "binary_point" (raw / 2^n), not both`]);
  });
});

describe('bits of a 32-bit value', () => {
  it('reads bits 0..31 of two registers with bit_of uint32 or int32', () => {
    const { points, errors } = modbus([
      '{ field: a, register: 30001, type: bit, bit: 31, bit_of: uint32, order: CDAB }',
      '{ field: b, register: 30001, type: bit, bit: 3, bit_of: int32 }',
      '{ field: c, register: 30001, type: bit, bit: 3 }',
    ]);
    expect(errors).toEqual([]);
    expect(points.map((p) => [p.bitWidth, p.count, p.order])).toEqual([[32, 2, 'CDAB'], [32, 2, 'ABCD'], [16, 1, 'ABCD']]);
  });

  it('says how to reach bits above 15 and refuses bit_of on other types', () => {
    expect(modbus(['{ field: a, register: 30001, type: bit, bit: 16 }']).errors).toEqual([
      `${FILE}:7:50: points[0].bit: bit 16 is past a 16-bit register (bits 0..15); for bits of a 32-bit value add "bit_of: uint32"`,
    ]);
    expect(modbus(['{ field: a, register: 30001, type: uint16, bit_of: uint32 }']).errors).toEqual([`${FILE}:7:48: points[0].bit_of: "bit_of" only applies to type "bit"`]);
    expect(modbus(['{ field: a, register: 30001, type: bit, bit: 32, bit_of: uint32 }']).errors[0]).toMatch(/points\[0\]\.bit: must be <= 31/);
  });
});

describe('unavailable sentinels', () => {
  it('accepts YAML hexadecimal numbers and hexadecimal text, as the register bit pattern of the type', () => {
    const { points, errors, warnings } = modbus([
      '{ field: a, register: 30001, type: uint16, unavailable: [0xFFFF, "0x7fff"] }',
      '{ field: b, register: 30002, type: int16, unavailable: [0x8000, "0xFFFF", -2] }',
      '{ field: c, register: 30003, type: uint16, unavailable: [-1] }',
      '{ field: d, register: 30004, type: int32, unavailable: ["0x80000000"] }',
      '{ field: e, register: 30006, type: uint32, unavailable: ["0xFFFFFFFF"] }',
      '{ field: f, register: 30008, type: float32, unavailable: [-9999] }',
    ]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(points.map((p) => p.unavailable)).toEqual([[65535, 32767], [-32768, -1, -2], [65535], [-2147483648], [4294967295], [-9999]]);
  });

  it('warns about a sentinel the type can never hold and refuses text that is not hexadecimal', () => {
    expect(modbus(['{ field: a, register: 30001, type: uint16, unavailable: [70000] }']).warnings).toEqual([
      `${FILE}:7:62: warning: points[0].unavailable[0]: 70000 can never be read from a uint16 (0..65535), so it never matches`,
    ]);
    expect(modbus(['{ field: a, register: 30001, type: uint16, unavailable: ["FFFF"] }']).errors[0]).toMatch(/points\[0\]\.unavailable\[0\]: .*hexadecimal text such as "0xFFFF"/);
  });
});

describe('warnings for keys without effect', () => {
  it('names scaling on text, word order on one register or a coil, and text word order', () => {
    const ok = modbus([
      '{ field: model, register: 40001, type: string, length: 8, offset: 1, order: CDAB }',
      '{ field: a, register: 30001, type: uint16, order: CDAB }',
      '{ field: b, register: 30002, type: int16, order: DCBA }',
      '{ field: c, register: 30003, type: bit, bit: 2, order: CDAB }',
      '{ field: d, register: 30003, type: int16, order: BADC }',
      '{ field: e, register: 10001, type: bool, order: ABCD }',
    ]);
    expect(ok.errors).toEqual([]);
    expect(ok.warnings).toEqual([
      `${FILE}:7:63: warning: points[0].offset: "offset" has no effect on a string point (text is stored as read)`,
      `${FILE}:7:74: warning: points[0].order: text is never word-swapped: CDAB reads as ABCD`,
      `${FILE}:8:48: warning: points[1].order: type uint16 is one register: word order CDAB has no effect`,
      `${FILE}:9:47: warning: points[2].order: type int16 is one register: DCBA only swaps its bytes; write BADC`,
      `${FILE}:10:53: warning: points[3].order: a bit point without bit_of: uint32 reads one register: word order CDAB has no effect`,
      `${FILE}:12:46: warning: points[5].order: coils and discrete inputs are single bits; "order" has no effect`,
    ]);
  });

  it('refuses a point running past address 65535', () => {
    expect(modbus(['{ field: a, function: input, address: 65535, type: float32 }']).errors).toEqual([
      `${FILE}:7:5: points[0]: the point runs past address 65535: 2 registers from 65535 end at 65536`,
    ]);
    expect(modbus(['{ field: a, function: input, address: 65535, type: uint16 }']).errors).toEqual([]);
  });

  it('says a rule on a text field never fires', () => {
    const { warnings } = modbus(
      ['{ field: model, register: 40001, type: string, length: 8 }'],
      'rules:\n  - { name: odd, field: model, equals: [1], severity: minor, source: test, summary: { en: x, zh-CN: x } }\n',
    );
    expect(warnings).toEqual([`${FILE}:9:25: warning: rules[0].field: field "model" is text; rules compare numbers, so this rule never fires`]);
  });
});

describe('overlapping points', () => {
  it('warns when two points read the same registers as different types, naming both lines', () => {
    const { errors, warnings } = modbus([
      '{ field: a, register: 30001, type: float32 }',
      '{ field: b, register: 30002, type: uint16 }',
      '{ field: c, register: 30010, type: uint16 }',
      '{ field: d, register: 30010, type: int16 }',
      '{ field: e, register: 40001, type: uint16 }',
    ]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      `${FILE}:8:5: warning: points[1]: uint16 at 4:1 overlaps float32 ABCD at 4:0..1 of points[0] at ${FILE}:7; the same registers cannot hold both`,
      `${FILE}:10:5: warning: points[3]: int16 at 4:9 overlaps uint16 at 4:9 of points[2] at ${FILE}:9; the same registers cannot hold both`,
    ]);
  });

  it('accepts bit points on one register, bits inside an integer, and the same point read twice', () => {
    const { warnings } = modbus([
      '{ field: status, register: 30001, type: uint32 }',
      '{ field: a, register: 30001, type: bit, bit: 0 }',
      '{ field: b, register: 30001, type: bit, bit: 1 }',
      '{ field: c, register: 30001, type: bit, bit: 20, bit_of: uint32 }',
      '{ field: d, register: 30002, type: bit, bit: 3 }',
      '{ field: v, register: 30005, type: uint16, scale: 0.1 }',
      '{ field: v, register: 30005, type: uint16, measurement: other }',
    ]);
    expect(warnings).toEqual([]);
  });

  it('warns about a bit point inside a float', () => {
    const { warnings } = modbus(['{ field: f, register: 30001, type: float32 }', '{ field: a, register: 30002, type: bit, bit: 0 }']);
    expect(warnings).toEqual([`${FILE}:8:5: warning: points[1]: bit at 4:1 overlaps float32 ABCD at 4:0..1 of points[0] at ${FILE}:7; the same registers cannot hold both`]);
  });
});

describe('SNMP points', () => {
  it('take binary_point and hexadecimal sentinels, and warn about scaling text', () => {
    const text = `name: acme-snmp
description: test
driver: snmp
category: ups
measurement: ups
points:
  - { field: v, oid: 1.3.6.1.4.1.9.1.0, binary_point: 3, unavailable: ["0xFFFFFFFF"] }
  - { field: model, oid: 1.3.6.1.4.1.9.2.0, value_type: string, scale: 2 }
`;
    const result = compileTemplate(new YamlSource(FILE, text), templateRules);
    expect(result.issues).toEqual([]);
    expect(result.template?.points[0]).toMatchObject({ scale: 0.125, unavailable: [4294967295] });
    expect(result.warnings.map(formatIssue)).toEqual([`${FILE}:8:65: warning: points[1].scale: "scale" has no effect on a point with value_type string`]);
  });
});

describe('schema defaults', () => {
  // order, index_tag and value_type have schema defaults; the "has no effect" checks must only see keys the template wrote.
  it('fill in order, index_tag and value_type without counting as written', () => {
    const coil = modbus(['{ field: door, register: 1, type: bool }', '{ field: v, register: 30001, type: uint16 }']);
    expect(coil.errors).toEqual([]);
    expect(coil.warnings).toEqual([]);
    expect(coil.points.map((p) => p.order)).toEqual(['ABCD', 'ABCD']);
    const text = `name: acme-snmp
description: test
driver: snmp
category: ups
measurement: ups
points:
  - { field: v, oid: 1.3.6.1.4.1.9.1.0 }
  - { field: t, column: 1.3.6.1.4.1.9.2 }
`;
    const result = compileTemplate(new YamlSource(FILE, text), templateRules);
    expect(result.issues.map(formatIssue)).toEqual([]);
    expect(result.template?.points).toMatchObject([
      { kind: 'snmp-scalar', valueType: 'number' },
      { kind: 'snmp-column', valueType: 'number', indexTag: 'index' },
    ]);
    expect(result.template?.points[0]).not.toHaveProperty('indexTag');
  });
});

describe('comms severity', () => {
  const template = (category: string, comms = '') =>
    compileTemplate(new YamlSource(FILE, `name: acme\ndescription: test\ndriver: modbus\ncategory: ${category}\nmeasurement: m\npoints:\n  - { field: v, register: 30001, type: uint16 }\n${comms}`), templateRules);

  it('defaults by what the device is: an unreachable UPS, CRAC or leak detector is major, a meter or room sensor minor', () => {
    const severities = ['ups', 'crac', 'leak', 'power_meter', 'environment'].map((c) => [c, template(c).template?.comms.severity]);
    expect(severities).toEqual([['ups', 'major'], ['crac', 'major'], ['leak', 'major'], ['power_meter', 'minor'], ['environment', 'minor']]);
  });

  it('is what the template says under comms.severity', () => {
    expect(template('environment', 'comms: { severity: critical }\n').template?.comms).toEqual({ severity: 'critical' });
  });

  it('refuses a severity that is not one, and keys it does not know, at their line', () => {
    expect(template('ups', 'comms: { severity: urgent, retries: 3 }\n').issues.map(formatIssue).sort()).toEqual([
      '/t/acme.yaml:8:20: comms.severity: expected critical, major, minor, warning, got "urgent"',
      '/t/acme.yaml:8:28: comms.retries: unknown key "retries"; expected one of: severity',
    ]);
  });

  it('follows the category in every shipped template', () => {
    for (const t of loadTemplates([BUILTIN_TEMPLATE_DIR], templateRules).templates.values()) {
      expect([t.name, t.comms.severity]).toEqual([t.name, ['ups', 'crac', 'leak'].includes(t.category) ? 'major' : 'minor']);
    }
  });
});

describe('shipped templates', () => {
  it('load without problems or warnings', () => {
    const set = loadTemplates([BUILTIN_TEMPLATE_DIR], templateRules);
    expect(set.issues.map(formatIssue)).toEqual([]);
    expect(set.warnings.map(formatIssue)).toEqual([]);
  });
});
describe('compileTemplate', () => {
  it('names the duplicate point and its line even when an earlier point is invalid', () => {
    const text = `name: dup-test
description: a duplicate field after an invalid point
driver: modbus
category: power_meter
measurement: power_meter
points:
  - { field: voltage, register: 30001, type: float32 }
  - { field: current, register: 30007, type: float33 }
  - { field: frequency, register: 30071, type: float32 }
  - { field: voltage, register: 30003, type: float32 }
`;
    const result = compileTemplate(new YamlSource('/t/dup-test.yaml', text), templateRules);
    const lines = result.issues.map(formatIssue);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\/t\/dup-test\.yaml:8:\d+: points\[1\]\.type: /);
    expect(lines[1]).toBe('/t/dup-test.yaml:10:14: points[3].field: field "voltage" with the same tags is already produced by points[0] of template "dup-test"');
  });

  it('a file listed as a template directory is an issue, not an exception', () => {
    const file = import.meta.filename;
    expect(loadTemplates([file], templateRules).issues).toEqual([{ file, line: 1, column: 1, path: '', message: 'not a directory: "templates" lists directories of template files' }]);
  });
});
