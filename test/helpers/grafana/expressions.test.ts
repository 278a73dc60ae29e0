import { describe, expect, it } from 'vitest';
import { evaluateMath, evaluateReduce, expressionInputs, hasFiniteValue, toSeries, type ExprValue } from './expressions.js';

const series = (tags: Record<string, string>, rows: Array<[number, number | null]>) => toSeries([{ name: 'm', tags, columns: ['time', 'v'], values: rows }]);

describe('server-side expressions', () => {
  const incomer: ExprValue = { kind: 'series', items: series({ room: 'r1' }, [[1, 150], [2, null], [3, 160]]) };
  const it_load: ExprValue = { kind: 'series', items: series({ room: 'r1' }, [[1, 100], [2, 100], [4, 100]]) };

  it('divides series point by point where the timestamps meet', () => {
    const pue = evaluateMath('$A / $B', { A: incomer, B: it_load });
    expect(pue.kind).toBe('series');
    const points = pue.kind === 'series' ? [...pue.items[0]!.points] : [];
    expect(points).toEqual([[1, 1.5], [2, null]]);
    expect(hasFiniteValue(pue)).toBe(true);
  });

  it('pairs series by labels when there are several, and finds nothing when no labels match', () => {
    const a: ExprValue = { kind: 'series', items: [...series({ room: 'r1' }, [[1, 1]]), ...series({ room: 'r2' }, [[1, 2]])] };
    const b: ExprValue = { kind: 'series', items: [...series({ room: 'r3' }, [[1, 1]]), ...series({ room: 'r4' }, [[1, 2]])] };
    expect(hasFiniteValue(evaluateMath('$A * 2', { A: a }))).toBe(true);
    expect(hasFiniteValue(evaluateMath('${A} - $B', { A: a, B: b }))).toBe(false);
  });

  it('sees a division by zero or all-null input as nothing to draw', () => {
    const zero: ExprValue = { kind: 'series', items: series({}, [[1, 0]]) };
    expect(hasFiniteValue(evaluateMath('$A / $B', { A: { kind: 'series', items: series({}, [[1, 5]]) }, B: zero }))).toBe(false);
    expect(hasFiniteValue(evaluateMath('abs(-$A) + (1 - 2) * 3', { A: { kind: 'series', items: series({}, [[1, null]]) } }))).toBe(false);
  });

  it('reduces strictly by default, dropping nulls when asked', () => {
    expect(evaluateReduce({ refId: 'C', type: 'reduce', expression: 'A', reducer: 'mean' }, incomer)).toMatchObject({ items: [{ value: NaN }] });
    expect(evaluateReduce({ refId: 'C', type: 'reduce', expression: 'A', reducer: 'mean', settings: { mode: 'dropNN' } }, incomer)).toMatchObject({ items: [{ value: 155 }] });
  });

  it('names its inputs and refuses what it cannot read', () => {
    expect(expressionInputs({ refId: 'C', type: 'math', expression: '($A + ${B}) / $A' })).toEqual(['A', 'B']);
    expect(expressionInputs({ refId: 'C', type: 'reduce', expression: '$A' })).toEqual(['A']);
    expect(() => evaluateMath('$A ^ 2', { A: incomer })).toThrow(/cannot read/);
    expect(() => evaluateMath('$Z', { A: incomer })).toThrow(/\$Z is not a query/);
  });
});
