import { describe, expect, it } from 'vitest';
import { escapeRegex, leftovers, replaceVariables, type Chosen, type GrafanaVariable } from './template.js';

const single: GrafanaVariable = { name: 'room', type: 'query' };
const multi: GrafanaVariable = { name: 'room', type: 'query', multi: true, includeAll: true };
const choose = (variable: GrafanaVariable, value: string | string[], all = false): Record<string, Chosen> => ({ room: { variable, value, text: value, all } });

describe('Grafana variable expansion for InfluxQL', () => {
  it('escapes a single value only where the query uses it inside a =~ regex', () => {
    const scope = choose(single, 'a.b/c');
    expect(replaceVariables(`WHERE "room" =~ /^$room$/`, scope, {}, 'influx')).toBe(`WHERE "room" =~ /^a\\.b\\/c$/`);
    expect(replaceVariables(`WHERE "room" = '$room'`, scope, {}, 'influx')).toBe(`WHERE "room" = 'a.b/c'`);
    // The datasource looks at the whole query: used once in a regex, escaped everywhere.
    expect(replaceVariables(`SELECT '$room' WHERE r =~ /$room/`, scope, {}, 'influx')).toBe(`SELECT 'a\\.b\\/c' WHERE r =~ /a\\.b\\/c/`);
  });

  it('leaves a numeric value alone, as the datasource does', () => {
    expect(replaceVariables(`WHERE r =~ /^$room$/`, choose(single, '3.5'), {}, 'influx')).toBe('WHERE r =~ /^3.5$/');
  });

  it('writes a multi-value choice as an escaped (a|b) group, one value escaped alone', () => {
    expect(replaceVariables(`r =~ /^$room$/`, choose(multi, ['省公司三楼主机房', 'x(1)']), {}, 'influx')).toBe('r =~ /^(省公司三楼主机房|x\\(1\\))$/');
    expect(replaceVariables(`r =~ /^$room$/`, choose(multi, 'x(1)'), {}, 'influx')).toBe('r =~ /^x\\(1\\)$/');
  });

  it('inserts a custom All value as written, All without one as every value', () => {
    expect(replaceVariables(`r =~ /^$room$/`, choose({ ...multi, allValue: '.*' }, ['a', 'b'], true), {}, 'influx')).toBe('r =~ /^.*$/');
    expect(replaceVariables(`r =~ /^$room$/`, choose(multi, ['a', 'b'], true), {}, 'influx')).toBe('r =~ /^(a|b)$/');
  });

  it('honours the ${var}, [[var]] and ${var:format} spellings', () => {
    const scope = choose(multi, ['a', 'b']);
    expect(replaceVariables('${room:regex} ${room:csv} ${room:pipe} ${room:doublequote} [[room:singlequote]]', scope, {}, 'influx')).toBe(`(a|b) a,b a|b "a","b" 'a','b'`);
    expect(replaceVariables('[[room]]', scope, {}, 'influx')).toBe('(a|b)');
    expect(() => replaceVariables('${room:lucene}', scope, {}, 'influx')).toThrow(/lucene/);
  });

  it('does not look for ${var} when deciding whether a single value sits in a regex (as Grafana)', () => {
    expect(replaceVariables('r =~ /^${room}$/', choose(single, 'a.b'), {}, 'influx')).toBe('r =~ /^a.b$/');
  });

  it('always escapes with the regex format (annotation queries)', () => {
    expect(replaceVariables(`r = '$room'`, choose(single, 'a.b'), {}, 'regex')).toBe(`r = 'a\\.b'`);
  });

  it('leaves unknown names and the backend macros for later, and expands built-ins', () => {
    const text = 'SELECT mean(v) WHERE $timeFilter AND t > $__from GROUP BY time($__interval) $other';
    const out = replaceVariables(text, {}, { __from: '1000' }, 'influx');
    expect(out).toBe('SELECT mean(v) WHERE $timeFilter AND t > 1000 GROUP BY time($__interval) $other');
    expect(leftovers(out)).toEqual(['$timeFilter', '$__interval', '$other']);
  });

  it('does not take regex anchors or escaped dollars for leftovers', () => {
    expect(leftovers('r =~ /^a$/ AND s =~ /(a|b)$/ AND t = \'x\\$y\'')).toEqual([]);
    expect(leftovers('[[room]] ${room}')).toEqual(['[[room]]', '${room}']);
  });

  it('escapes every regex metacharacter and the slash', () => {
    expect(escapeRegex('a\\^$*+?.()|[]{}/b')).toBe('a\\\\\\^\\$\\*\\+\\?\\.\\(\\)\\|\\[\\]\\{\\}\\/b');
  });
});
