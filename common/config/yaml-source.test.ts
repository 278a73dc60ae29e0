import { describe, expect, it } from 'vitest';
import { formatIssue, YamlSource } from './yaml-source.js';

// Found by the config fuzzer (test/chaos/config-fuzz.test.ts).
describe('YamlSource on hostile files', () => {
  it('refuses flow collections nested thousands deep with a located problem in words, not a stack overflow', () => {
    const source = new YamlSource('/etc/roomwatch/deep.yaml', `log_level: info\nsites: ${'['.repeat(5000)}1${']'.repeat(5000)}\n`);
    expect(source.value).toBeUndefined();
    expect(source.syntaxIssues.map(formatIssue)).toEqual(['/etc/roomwatch/deep.yaml:2:72: (document): collections nested more than 64 levels deep; refused unread']);
  });

  it('says "nested too deeply" for block nesting that overflows the parser', () => {
    const source = new YamlSource('deep.yaml', `${'- '.repeat(3000)}1\n`);
    expect(source.syntaxIssues.length).toBeGreaterThan(0);
    for (const issue of source.syntaxIssues) expect(issue.message).toBe('nested too deeply to read');
  });

  it('keeps ordinary nesting and brackets inside quotes and comments', () => {
    const source = new YamlSource('ok.yaml', `a: [[{ b: [1, "${'['.repeat(100)}"] }]]  # ${'{'.repeat(100)}\nc: '${'['.repeat(100)}'\n`);
    expect(source.syntaxIssues).toEqual([]);
    expect(source.value).toEqual({ a: [[{ b: [1, '['.repeat(100)] }]], c: '['.repeat(100) });
  });

  it('prints a problem on one line even when a key holds a line break or a carriage return', () => {
    const line = formatIssue({ file: 'room.yaml', line: 3, column: 5, path: 'devices[0].room\r x', message: 'unknown key "{\n  id: meter-1\n}"' });
    expect(line).toBe('room.yaml:3:5: devices[0].room\\r x: unknown key "{\\n  id: meter-1\\n}"');
  });
});
