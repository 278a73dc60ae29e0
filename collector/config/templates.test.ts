import { describe, expect, it } from 'vitest';
import { compileTemplate, loadTemplates } from './templates.js';
import { formatIssue, YamlSource } from './yaml-source.js';

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
    const result = compileTemplate(new YamlSource('/t/dup-test.yaml', text));
    const lines = result.issues.map(formatIssue);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\/t\/dup-test\.yaml:8:\d+: points\[1\]\.type: /);
    expect(lines[1]).toBe('/t/dup-test.yaml:10:14: points[3].field: field "voltage" with the same tags is already produced by points[0] of template "dup-test"');
  });

  it('a file listed as a template directory is an issue, not an exception', () => {
    const file = import.meta.filename;
    expect(loadTemplates([file]).issues).toEqual([{ file, line: 1, column: 1, path: '', message: 'not a directory: "templates" lists directories of template files' }]);
  });
});
