/**
 * Grafana server-side expressions (datasource `__expr__`) evaluated on the series InfluxDB
 * returned, enough to tell whether a panel fed by `$A / $B` would draw anything: math
 * (+ - * / %, comparisons, abs/ceil/floor/log/round, numbers), reduce (last, mean, min, max,
 * sum, count; strict, dropNN, replaceNN), and threshold/resample as pass-through of their input.
 * Series pair up as Grafana pairs them: one against one whatever the labels, otherwise equal
 * label sets or one's labels a subset of the other's; points combine where timestamps are equal.
 */

export interface Series {
  labels: Record<string, string>;
  name: string;
  /** time (ms) → value; null where InfluxDB filled a bucket with null. */
  points: Map<number, number | null>;
}

/** A number per label set (what reduce returns). */
export interface Numbered {
  labels: Record<string, string>;
  name: string;
  value: number | null;
}

export type ExprValue = { kind: 'scalar'; value: number } | { kind: 'series'; items: Series[] } | { kind: 'numbers'; items: Numbered[] };

/** An `__expr__` target as it sits in a panel's targets[]. */
export interface ExpressionTarget {
  refId: string;
  type: string;
  /** Hidden: computed for other expressions, not drawn. */
  hide?: boolean;
  expression?: string;
  reducer?: string;
  settings?: { mode?: string; replaceWithValue?: number };
}

/** The refIds an expression reads. */
export function expressionInputs(target: ExpressionTarget): string[] {
  const text = target.expression ?? '';
  if (target.type === 'math') return [...new Set([...text.matchAll(/\$\{?([A-Za-z_]\w*)\}?/g)].map((m) => m[1]!))];
  if (target.type === 'classic_conditions') throw new Error(`expression ${target.refId}: classic_conditions is not supported by this harness`);
  return text.trim() ? [text.trim().replace(/^\$\{?|\}$/g, '')] : [];
}

/** InfluxDB's answer for one query as Grafana frames: one series per (series, value column). */
export function toSeries(answer: Array<{ name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }>): Series[] {
  const out: Series[] = [];
  for (const s of answer) {
    s.columns.forEach((column, c) => {
      if (column === 'time') return;
      const points = new Map<number, number | null>();
      for (const row of s.values) points.set(Number(row[0]), typeof row[c] === 'number' ? row[c] : null);
      out.push({ labels: s.tags ?? {}, name: `${s.name}.${column}`, points });
    });
  }
  return out;
}

function subset(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === v);
}

function pairs<T extends { labels: Record<string, string> }, U extends { labels: Record<string, string> }>(left: T[], right: U[]): Array<[T, U]> {
  if (left.length === 1 && right.length === 1) return [[left[0]!, right[0]!]];
  const out: Array<[T, U]> = [];
  for (const l of left) for (const r of right) if (subset(l.labels, r.labels) || subset(r.labels, l.labels)) out.push([l, r]);
  return out;
}

type Op = (a: number, b: number) => number;
const BINARY: Record<string, Op> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '>': (a, b) => Number(a > b),
  '<': (a, b) => Number(a < b),
  '>=': (a, b) => Number(a >= b),
  '<=': (a, b) => Number(a <= b),
  '&&': (a, b) => Number(Boolean(a) && Boolean(b)),
  '||': (a, b) => Number(Boolean(a) || Boolean(b)),
};
const FUNCTIONS: Record<string, (x: number) => number> = { abs: Math.abs, ceil: Math.ceil, floor: Math.floor, log: Math.log, round: Math.round };

const apply = (op: Op, a: number | null, b: number | null): number | null => (a === null || b === null ? null : op(a, b));

function mergeLabels(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  return Object.keys(a).length >= Object.keys(b).length ? a : b;
}

function combine(op: Op, left: ExprValue, right: ExprValue): ExprValue {
  if (left.kind === 'scalar' && right.kind === 'scalar') return { kind: 'scalar', value: op(left.value, right.value) };
  if (left.kind === 'scalar' || right.kind === 'scalar') {
    const flip = left.kind !== 'scalar';
    const scalar = (flip ? right : left) as { kind: 'scalar'; value: number };
    const other = (flip ? left : right) as Exclude<ExprValue, { kind: 'scalar' }>;
    const f = (x: number | null) => (flip ? apply(op, x, scalar.value) : apply(op, scalar.value, x));
    if (other.kind === 'numbers') return { kind: 'numbers', items: other.items.map((i) => ({ ...i, value: f(i.value) })) };
    return { kind: 'series', items: other.items.map((s) => ({ ...s, points: new Map([...s.points].map(([t, v]) => [t, f(v)])) })) };
  }
  if (left.kind === 'numbers' && right.kind === 'numbers') {
    return { kind: 'numbers', items: pairs(left.items, right.items).map(([l, r]) => ({ labels: mergeLabels(l.labels, r.labels), name: l.name, value: apply(op, l.value, r.value) })) };
  }
  if (left.kind === 'series' && right.kind === 'series') {
    return {
      kind: 'series',
      items: pairs(left.items, right.items).map(([l, r]) => {
        const points = new Map<number, number | null>();
        for (const [t, v] of l.points) if (r.points.has(t)) points.set(t, apply(op, v, r.points.get(t)!));
        return { labels: mergeLabels(l.labels, r.labels), name: l.name, points };
      }),
    };
  }
  // A number against a series: the number applies to every point of its matching series.
  const series = (left.kind === 'series' ? left : right) as { kind: 'series'; items: Series[] };
  const numbers = (left.kind === 'numbers' ? left : right) as { kind: 'numbers'; items: Numbered[] };
  const seriesFirst = left.kind === 'series';
  return {
    kind: 'series',
    items: pairs(series.items, numbers.items).map(([s, n]) => ({
      labels: mergeLabels(s.labels, n.labels),
      name: s.name,
      points: new Map([...s.points].map(([t, v]) => [t, seriesFirst ? apply(op, v, n.value) : apply(op, n.value, v)])),
    })),
  };
}

function mapValue(value: ExprValue, f: (x: number) => number): ExprValue {
  const g = (x: number | null) => (x === null ? null : f(x));
  if (value.kind === 'scalar') return { kind: 'scalar', value: f(value.value) };
  if (value.kind === 'numbers') return { kind: 'numbers', items: value.items.map((i) => ({ ...i, value: g(i.value) })) };
  return { kind: 'series', items: value.items.map((s) => ({ ...s, points: new Map([...s.points].map(([t, v]) => [t, g(v)])) })) };
}

/** Evaluates a math expression; `vars` holds the values of the refIds it reads. */
export function evaluateMath(text: string, vars: Record<string, ExprValue>): ExprValue {
  const tokens = text.match(/\$\{?[A-Za-z_]\w*\}?|\d+(?:\.\d+)?(?:e[+-]?\d+)?|[A-Za-z_]\w*|==|!=|>=|<=|&&|\|\||[-+*/%()<>!]/g) ?? [];
  if (tokens.join('') !== text.replace(/\s+/g, '')) throw new Error(`math expression "${text}": cannot read it`);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const levels = [['||'], ['&&'], ['==', '!=', '>', '<', '>=', '<='], ['+', '-'], ['*', '/', '%']];
  const binary = (level: number): ExprValue => {
    if (level === levels.length) return unary();
    let left = binary(level + 1);
    while (peek() !== undefined && levels[level]!.includes(peek()!)) {
      const op = next()!;
      left = combine(BINARY[op]!, left, binary(level + 1));
    }
    return left;
  };
  const unary = (): ExprValue => {
    const sign = peek();
    if (sign !== '-' && sign !== '!') return primary();
    next();
    return mapValue(unary(), sign === '-' ? (x) => -x : (x) => Number(!x));
  };
  const primary = (): ExprValue => {
    const token = next();
    if (token === undefined) throw new Error(`math expression "${text}": ends too early`);
    if (token === '(') {
      const inner = binary(0);
      if (next() !== ')') throw new Error(`math expression "${text}": missing )`);
      return inner;
    }
    if (token.startsWith('$')) {
      const ref = token.replace(/^\$\{?|\}$/g, '');
      const value = vars[ref];
      if (!value) throw new Error(`math expression "${text}": $${ref} is not a query or expression of this panel`);
      return value;
    }
    if (/^\d/.test(token)) return { kind: 'scalar', value: Number(token) };
    const fn = FUNCTIONS[token];
    if (fn && next() === '(') {
      const inner = binary(0);
      if (next() !== ')') throw new Error(`math expression "${text}": missing ) after ${token}(`);
      return mapValue(inner, fn);
    }
    throw new Error(`math expression "${text}": unknown "${token}"`);
  };
  const result = binary(0);
  if (at !== tokens.length) throw new Error(`math expression "${text}": unexpected "${tokens[at]}"`);
  return result;
}

const REDUCERS: Record<string, (xs: number[]) => number> = {
  last: (xs) => xs[xs.length - 1] ?? NaN,
  mean: (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN),
  min: (xs) => (xs.length ? Math.min(...xs) : NaN),
  max: (xs) => (xs.length ? Math.max(...xs) : NaN),
  sum: (xs) => xs.reduce((a, b) => a + b, 0),
  count: (xs) => xs.length,
};

/** A reduce expression: strict mode (the default) turns a series with a null or NaN into NaN. */
export function evaluateReduce(target: ExpressionTarget, input: ExprValue): ExprValue {
  const reducer = REDUCERS[target.reducer ?? ''];
  if (!reducer) throw new Error(`reduce expression ${target.refId}: reducer "${target.reducer}" is not supported (last, mean, min, max, sum, count)`);
  if (input.kind !== 'series') throw new Error(`reduce expression ${target.refId}: its input ${target.expression} is not a time series`);
  const mode = target.settings?.mode ?? '';
  return {
    kind: 'numbers',
    items: input.items.map((s) => {
      const ordered = [...s.points].sort(([a], [b]) => a - b).map(([, v]) => v);
      const bad = (v: number | null) => v === null || Number.isNaN(v);
      let values: number[];
      if (mode === 'dropNN') values = ordered.filter((v) => !bad(v)) as number[];
      else if (mode === 'replaceNN') values = ordered.map((v) => (bad(v) ? (target.settings?.replaceWithValue ?? 0) : v!));
      else if (ordered.some(bad)) return { labels: s.labels, name: s.name, value: NaN };
      else values = ordered as number[];
      return { labels: s.labels, name: s.name, value: reducer(values) };
    }),
  };
}

/** Whether a value would draw anything: at least one finite number. */
export function hasFiniteValue(value: ExprValue): boolean {
  if (value.kind === 'scalar') return Number.isFinite(value.value);
  if (value.kind === 'numbers') return value.items.some((i) => i.value !== null && Number.isFinite(i.value));
  return value.items.some((s) => [...s.points.values()].some((v) => v !== null && Number.isFinite(v)));
}
