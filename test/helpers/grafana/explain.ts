/**
 * When an empty panel is legitimate. A panel may show "No data" only if it says what empty
 * means (fieldConfig.defaults.noValue) and influxd confirms one of two reasons:
 *  (a) "range": the same target returns data in another view the check already runs (another
 *      range, or the panel's range without its timeShift): only this range is empty;
 *  (b) "no series": SHOW SERIES over the query's measurements and tag filters (time dropped)
 *      finds nothing: the selection names no device at all, so no range could fill it.
 * A selection that has series and still returns nothing stays a failure: that is a broken query.
 */
import type { InfluxAnswer, RunQuery } from './variables.js';

export type Explanation = 'range' | 'no series';

/** `"rp"."measurement"` (or a bare `"measurement"`) after every FROM, subqueries included. */
export function measurementsOf(query: string): string[] {
  const found = new Set<string>();
  for (const match of query.matchAll(/\bFROM\s+((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)/gi)) found.add(match[1]!);
  return [...found];
}

/** Splits on top-level ` AND `, outside regex literals, strings, quotes and parentheses. */
function conjuncts(where: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < where.length; i++) {
    const c = where[i]!;
    if (c === '/' || c === "'" || c === '"') {
      const end = closing(where, i, c);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /^\sOR\s/i.test(where.slice(i, i + 4))) return undefined;
    else if (depth === 0 && /^\sAND\s/i.test(where.slice(i, i + 5))) {
      parts.push(where.slice(start, i).trim());
      start = i + 5;
    }
  }
  parts.push(where.slice(start).trim());
  return parts.filter(Boolean);
}

function closing(text: string, open: number, quote: string): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** The WHERE clauses of the query and its subqueries (each up to its GROUP BY, subquery end or the end). */
function whereClauses(query: string): string[] {
  const out: string[] = [];
  for (const match of query.matchAll(/\bWHERE\s/gi)) {
    const rest = query.slice(match.index + match[0].length);
    let depth = 0;
    let end = rest.length;
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i]!;
      if (c === '/' || c === "'" || c === '"') i = Math.max(i, closing(rest, i, c));
      else if (c === '(') depth++;
      else if (c === ')' && --depth < 0) {
        end = i;
        break;
      } else if (depth === 0 && /^\s(GROUP BY|ORDER BY|LIMIT|SLIMIT|FILL|TZ)\b/i.test(rest.slice(i, i + 10))) {
        end = i;
        break;
      }
    }
    out.push(rest.slice(0, end));
  }
  return out;
}

const TAG_CONDITION = /^"([^"]+)"\s*(=~|!~|=|!=|<>)\s*(\/(?:[^/\\]|\\.)*\/|'(?:[^'\\]|\\.)*')$/;

/**
 * The tag conditions of every WHERE in the query (time and now() conditions dropped), or
 * undefined when a WHERE is not a plain conjunction (an OR cannot be narrowed honestly).
 * `tagKeys` keeps only conditions on tags: a field condition dropped widens the selection,
 * which can only make "no series" harder to claim.
 */
export function tagFilters(query: string, tagKeys: Set<string>): string[] | undefined {
  const out = new Set<string>();
  for (const where of whereClauses(query)) {
    const parts = conjuncts(where);
    if (!parts) return undefined;
    for (const part of parts) {
      if (/\btime\b/i.test(part) || /now\(\)/i.test(part)) continue;
      const match = TAG_CONDITION.exec(part);
      if (match && tagKeys.has(match[1]!)) out.add(part);
    }
  }
  return [...out];
}

function answered(answer: InfluxAnswer): string[] {
  if (answer.error) throw new Error(answer.error);
  return answer.series.flatMap((s) => s.values.map((row) => String(row[0])));
}

/** Whether influxd holds no series at all for the query's measurements and tag filters. */
export async function hasNoSeries(query: string, run: RunQuery): Promise<boolean> {
  const measurements = measurementsOf(query);
  if (!measurements.length) return false;
  const from = measurements.join(', ');
  const tagKeys = new Set(answered(await run(`SHOW TAG KEYS FROM ${from}`)));
  const filters = tagFilters(query, tagKeys);
  if (!filters) return false;
  const series = await run(`SHOW SERIES FROM ${from}${filters.length ? ` WHERE ${filters.join(' AND ')}` : ''}`);
  return answered(series).length === 0;
}
