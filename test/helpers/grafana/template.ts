/**
 * Grafana's frontend variable expansion (templateSrv.replace) for InfluxQL text: `$var`, `[[var]]`,
 * `${var}`, `${var:format}`, the All value, and the InfluxDB datasource's own default format
 * (interpolateQueryExpr), which is subtler than "always regex-escape":
 * - a value that parses as a number is left alone;
 * - a multi-value variable is regex-escaped, a list as `(a|b)`;
 * - any other variable is escaped only where the query uses it inside a `=~ /…/` or `!~ /…/`
 *   regex literal, and only in the `$var` spelling (`${var}` is not looked for);
 * - a custom All value (allValue) is inserted as written.
 * Annotation queries are expanded with the `regex` format instead (the datasource does so).
 * Grafana variables not defined here ($timeFilter, $__interval) are left for the backend.
 */

/** What the dashboard JSON says about a variable (templating.list[]), as far as expansion needs it. */
export interface GrafanaVariable {
  name: string;
  type: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string | null;
  [key: string]: unknown;
}

/** A variable's chosen value: one value, several, or All (`$__all`). */
export interface Chosen {
  variable: GrafanaVariable;
  value: string | string[];
  text: string | string[];
  all?: boolean;
}

export type Scope = Record<string, Chosen>;

export type DefaultFormat = 'influx' | 'regex';

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;
// A regex literal after =~ or !~ (the datasource's own pattern for "used as a regex").
const REGEX_LITERAL = /(\s*(=|!)~\s*)\/((?![*+?])(?:[^\r\n[/\\]|\\.|\[(?:[^\r\n\]\\]|\\.)*\])+)\/((?:g(?:im?|mi?)?|i(?:gm?|mg?)?|m(?:gi?|ig?)?)?)/gm;

/** Grafana's escapeRegex: every regex metacharacter and the `/` that would end an InfluxQL regex. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
}

function isNumeric(value: string): boolean {
  return !Number.isNaN(Number.parseFloat(value));
}

function usedInRegex(name: string, query: string): boolean {
  const inside = new RegExp(`\\/(?:\\^)?(.*)(\\$${name})(.*)(?:\\$)?\\/`);
  for (const literal of query.match(REGEX_LITERAL) ?? []) {
    if (inside.test(literal)) return true;
  }
  return false;
}

function influxDefault(value: string | string[], variable: GrafanaVariable, query: string): string {
  if (typeof value === 'string' && isNumeric(value)) return value;
  if (variable.multi) {
    if (typeof value === 'string') return escapeRegex(value);
    return `(${value.map(escapeRegex).join('|')})`;
  }
  if (!usedInRegex(variable.name, query)) return String(value);
  return typeof value === 'string' ? escapeRegex(value) : String(value.map(escapeRegex));
}

function quoted(values: string[], quote: string): string {
  return values.map((v) => `${quote}${v.replaceAll(quote, `\\${quote}`)}${quote}`).join(',');
}

/** Grafana's named formats (`${var:csv}`); the ones an InfluxQL dashboard can use. */
function named(format: string, chosen: Chosen): string {
  const { value } = chosen;
  const list = typeof value === 'string' ? [value] : value;
  switch (format) {
    case 'raw':
      return String(value);
    case 'regex':
      return list.length === 1 ? escapeRegex(list[0]!) : `(${list.map(escapeRegex).join('|')})`;
    case 'pipe':
      return list.join('|');
    case 'csv':
      return list.join(',');
    case 'glob':
      return list.length === 1 ? list[0]! : `{${list.join(',')}}`;
    case 'doublequote':
      return quoted(list, '"');
    case 'singlequote':
      return quoted(list, "'");
    case 'json':
      return JSON.stringify(value);
    case 'text':
      return String(chosen.text);
    default:
      throw new Error(`variable format "${format}" of $${chosen.variable.name} is not one this harness knows (raw, regex, pipe, csv, glob, doublequote, singlequote, json, text)`);
  }
}

/**
 * `text` with the scope's variables expanded. `builtins` are Grafana's global variables
 * ($__from, $__to, $__range...), inserted as they are. `query` is the whole query the text
 * belongs to (the influx default format looks at how a variable is used in it).
 */
export function replaceVariables(text: string, scope: Scope, builtins: Record<string, string>, format: DefaultFormat, query = text): string {
  return text.replace(VARIABLE, (match: string, plain?: string, bracket?: string, bracketFormat?: string, braced?: string, fieldPath?: string, bracedFormat?: string) => {
    const name = plain ?? bracket ?? braced ?? '';
    const explicit = bracketFormat ?? bracedFormat;
    if (name in builtins) {
      if (explicit || fieldPath) throw new Error(`"${match}": formats of Grafana's built-in variables are not supported here`);
      return builtins[name]!;
    }
    const chosen = scope[name];
    if (!chosen) return match;
    if (fieldPath) throw new Error(`"${match}": variable field paths are not supported here`);
    if (chosen.all && chosen.variable.allValue && !explicit) return chosen.variable.allValue;
    if (explicit) return named(explicit, chosen);
    if (format === 'regex') return named('regex', chosen);
    return influxDefault(chosen.value, chosen.variable, query);
  });
}

/** Names of variables (`$x`, `[[x]]`, `${x}`) the text mentions. */
export function mentionedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(VARIABLE)) names.add(match[1] ?? match[2] ?? match[4] ?? '');
  return [...names];
}

/**
 * Anything that still looks like a Grafana variable or macro after expansion: `$name`, `${`, `[[name]]`.
 * A regex end anchor (`$/`, `$)`) and an escaped dollar (`\$`) are not.
 */
export function leftovers(query: string): string[] {
  return [...query.matchAll(/(?<!\\)\$\{?\w+\}?|\[\[\w+\]\]/g)].map((m) => m[0]);
}
