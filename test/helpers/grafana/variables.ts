/**
 * A dashboard's variables as Grafana resolves them on load: a query variable runs its InfluxQL
 * (with the variables before it and the time range expanded) and takes the values the way the
 * InfluxDB datasource's response parser does, filtered by the variable's regex; custom,
 * constant, textbox and interval variables read their own text. Then every choice a user can
 * make (each value alone, and All) is enumerated, parents first, so a dependent variable
 * (room under site) is re-resolved for each parent value.
 */
import { expandMacros, type TimeRange } from './time.js';
import { mentionedVariables, replaceVariables, type Chosen, type GrafanaVariable, type Scope } from './template.js';

export interface InfluxSeriesJson {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export interface InfluxAnswer {
  error?: string;
  series: InfluxSeriesJson[];
}

export type RunQuery = (query: string) => Promise<InfluxAnswer>;

export interface VariableOption {
  text: string;
  value: string;
}

export interface ResolveContext {
  run: RunQuery;
  range: TimeRange;
  builtins: Record<string, string>;
  influxUid: string;
}

/** The text of a query variable's query (a string, or `{query}` in newer dashboards). */
function variableQueryText(variable: GrafanaVariable): string {
  const query = variable.query;
  if (typeof query === 'string') return query;
  if (query && typeof query === 'object' && typeof (query as { query?: unknown }).query === 'string') return (query as { query: string }).query;
  if (typeof variable.definition === 'string') return variable.definition;
  return '';
}

/** ResponseParser.parse: SHOW FIELD KEYS / RETENTION POLICIES give the first column, the rest the second (the tag value, a SELECT's value). */
function parseValues(query: string, answer: InfluxAnswer): string[] {
  const lower = query.toLowerCase();
  const valueFirst = lower.includes('show field keys') || lower.includes('show retention policies');
  const values = new Set<string>();
  for (const series of answer.series) {
    for (const row of series.values) {
      const picked = valueFirst ? row[0] : row[1] !== undefined ? row[1] : row[0];
      if (typeof picked === 'string' || typeof picked === 'number' || typeof picked === 'boolean') values.add(String(picked));
    }
  }
  return [...values];
}

function compileRegex(text: string): RegExp {
  const literal = /^\/(.*)\/([gimsuy]*)$/s.exec(text);
  return literal ? new RegExp(literal[1]!, literal[2]!.replace('g', '')) : new RegExp(text);
}

/** The variable's regex option: keep matching values; a capture group (or `text`/`value` groups) picks the part. */
function filterByRegex(variable: GrafanaVariable, values: string[]): VariableOption[] {
  const pattern = typeof variable.regex === 'string' && variable.regex ? compileRegex(variable.regex) : undefined;
  const out: VariableOption[] = [];
  for (const raw of values) {
    if (!pattern) {
      out.push({ text: raw, value: raw });
      continue;
    }
    const match = pattern.exec(raw);
    if (!match) continue;
    const value = match.groups?.value ?? match[1] ?? match[0];
    out.push({ text: match.groups?.text ?? value, value });
  }
  return out;
}

/** Custom variable text: comma-separated (`\,` escapes a comma), each `text : value` or a plain value. */
function customOptions(text: string): VariableOption[] {
  return (text.match(/(?:\\,|[^,])+/g) ?? []).map((part) => {
    const item = part.replaceAll('\\,', ',').trim();
    const split = /^(.+?)\s:\s(.+)$/.exec(item);
    return split ? { text: split[1]!.trim(), value: split[2]!.trim() } : { text: item, value: item };
  }).filter((o) => o.value !== '');
}

export class VariableError extends Error {}

/** The options a variable offers under the choices already made (`scope`). */
export async function variableOptions(variable: GrafanaVariable, scope: Scope, context: ResolveContext): Promise<VariableOption[]> {
  switch (variable.type) {
    case 'query': {
      const refresh = typeof variable.refresh === 'number' ? variable.refresh : 0;
      if (refresh === 0) {
        // "Never" refresh: Grafana shows what was saved with the dashboard.
        const saved = Array.isArray(variable.options) ? (variable.options as VariableOption[]).filter((o) => o.value !== '$__all') : [];
        if (!saved.length) throw new VariableError(`query variable $${variable.name} never refreshes (refresh 0) and has no saved options`);
        return saved;
      }
      const template = variableQueryText(variable);
      if (!template.trim()) throw new VariableError(`query variable $${variable.name} has no query`);
      const missing = mentionedVariables(template).filter((name) => !(name in scope) && !(name in context.builtins) && name !== 'timeFilter' && !name.startsWith('__interval') && name !== 'interval');
      if (missing.length) throw new VariableError(`query variable $${variable.name} uses ${missing.map((m) => `$${m}`).join(', ')}, not defined before it`);
      const query = expandMacros(replaceVariables(template, scope, context.builtins, 'influx'), context.range, { ms: 1000, text: '1s' });
      const answer = await context.run(query);
      if (answer.error) throw new VariableError(`query variable $${variable.name}: InfluxDB error "${answer.error}" for ${query}`);
      const options = filterByRegex(variable, parseValues(query, answer));
      if (!options.length) throw new VariableError(`query variable $${variable.name} is empty (every panel using it shows "No data"): ${query}`);
      return options;
    }
    case 'custom':
    case 'interval': {
      const options = customOptions(typeof variable.query === 'string' ? variable.query : '');
      if (!options.length) throw new VariableError(`${variable.type} variable $${variable.name} has no values`);
      return options;
    }
    case 'constant':
    case 'textbox': {
      const current = (variable.current as { value?: string } | undefined)?.value;
      const value = typeof variable.query === 'string' && variable.query !== '' ? variable.query : (current ?? '');
      return [{ text: value, value }];
    }
    case 'datasource':
      return [{ text: context.influxUid, value: context.influxUid }];
    default:
      throw new VariableError(`variable $${variable.name} is of type "${variable.type}", which this check does not resolve`);
  }
}

/** Every choice a user can make for one variable: each value alone, and All when offered. */
export function choices(variable: GrafanaVariable, options: VariableOption[]): Chosen[] {
  const out: Chosen[] = options.map((o) => ({ variable, value: o.value, text: o.text }));
  if (variable.includeAll) out.push({ variable, value: options.map((o) => o.value), text: 'All', all: true });
  else if (variable.multi && options.length > 1) out.push({ variable, value: options.map((o) => o.value), text: options.map((o) => o.text) });
  return out;
}

export type Selection = { scope: Scope } | { problem: string };

/** Every combination of choices, parents first; a variable that cannot be resolved ends its branch with a problem. */
export async function* selections(variables: GrafanaVariable[], context: ResolveContext, limit: number): AsyncGenerator<Selection> {
  let made = 0;
  async function* walk(index: number, scope: Scope): AsyncGenerator<Selection> {
    if (index === variables.length) {
      if (++made > limit) throw new VariableError(`more than ${limit} combinations of variable values: raise the limit or narrow the dashboard`);
      yield { scope };
      return;
    }
    const variable = variables[index]!;
    let options: VariableOption[];
    try {
      options = await variableOptions(variable, scope, context);
    } catch (error) {
      if (!(error instanceof VariableError)) throw error;
      yield { problem: `${error.message} [${describeScope(scope)}]` };
      return;
    }
    for (const chosen of choices(variable, options)) yield* walk(index + 1, { ...scope, [variable.name]: chosen });
  }
  yield* walk(0, {});
}

export function describeScope(scope: Scope): string {
  return Object.entries(scope)
    .filter(([, c]) => c.variable.type !== 'constant' && c.variable.type !== 'datasource')
    .map(([name, c]) => `${name}=${Array.isArray(c.text) ? c.text.join('+') : c.text}`)
    .join(', ');
}
