import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';

/** Aliases a document may expand; past this it is treated as a "billion laughs" bomb. */
const MAX_ALIAS_COUNT = 100;

/**
 * Flow collections ([...], {...}) nested deeper than this are refused before the yaml library
 * sees them: it parses them recursively and overflows the stack near 800 levels (reported as
 * "Maximum call stack size exceeded"; repeated in one process, the overflow once took V8's
 * regular-expression compiler down with a fatal out-of-memory). A roomwatch file needs a handful.
 */
const MAX_FLOW_DEPTH = 64;

/** One configuration problem, located in its file. */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted path inside the document, e.g. `devices[2].snmp.community`. */
  path: string;
  message: string;
  /**
   * Absent for errors, which make the configuration unusable. A warning names something that is
   * almost certainly a mistake but still has a defined meaning: it is listed, never refused.
   */
  severity?: 'warning';
}

export function formatIssue(issue: ConfigIssue): string {
  const kind = issue.severity === 'warning' ? 'warning: ' : '';
  // A key or value may hold a line break (a quoted key, a stray CR): one problem stays one line.
  return oneLine(`${issue.file}:${issue.line}:${issue.column}: ${kind}${issue.path || '(document)'}: ${issue.message}`);
}

export type PathSegment = string | number;

export function pathToString(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out ? `.${segment}` : segment;
  return out;
}

/** A parsed YAML file that can say where any path inside it was written. */
export class YamlSource {
  readonly value: unknown;
  readonly syntaxIssues: ConfigIssue[];
  readonly #doc: Document;
  readonly #lines: LineCounter;

  constructor(readonly file: string, text: string) {
    this.#lines = new LineCounter();
    const deepAt = tooDeepAt(text);
    this.#doc = parseDocument(deepAt === undefined ? text : '', { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
    this.syntaxIssues = [...this.#doc.errors, ...this.#doc.warnings].map((error) => {
      const pos = this.#lines.linePos(error.pos[0]);
      // Block nesting deep enough to overflow the parser's stack gets words, not the RangeError's.
      const message = /call stack/i.test(error.message) ? 'nested too deeply to read' : (error.message.split('\n')[0] ?? error.message);
      return { file, line: pos.line, column: pos.col, path: '', message };
    });
    if (deepAt !== undefined) {
      const before = text.slice(0, deepAt);
      const line = before.split('\n').length;
      this.syntaxIssues.push({ file, line, column: deepAt - before.lastIndexOf('\n'), path: '', message: `collections nested more than ${MAX_FLOW_DEPTH} levels deep; refused unread` });
    }
    this.value = this.syntaxIssues.length ? undefined : this.#toValue();
  }

  /** Reads a file; one that cannot be read becomes a located issue rather than an exception. */
  static read(file: string): YamlSource {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const source = new YamlSource(file, '');
      source.syntaxIssues.push({ file, line: 1, column: 1, path: '', message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return source;
    }
    return new YamlSource(file, text);
  }

  /**
   * The yaml library throws (without a file or position) when expanding aliases would blow up;
   * that becomes an issue at the first alias, so the technician sees which file and where.
   */
  #toValue(): unknown {
    try {
      return this.#doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      let firstAlias: number | undefined;
      visit(this.#doc, {
        Alias: (_key, node) => {
          firstAlias = node.range?.[0];
          return visit.BREAK;
        },
      });
      const pos = this.#lines.linePos(firstAlias ?? 0);
      const message = /alias/i.test((error as Error).message)
        ? `aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias expansions); refused as a possible "billion laughs" attack`
        : `cannot be read as YAML data: ${(error as Error).message}`;
      this.syntaxIssues.push({ file: this.file, line: pos.line, column: pos.col, path: '', message });
      return undefined;
    }
  }

  /** Issue located at the deepest node of `path` that exists (the key itself when `atKey`). */
  issueAt(path: readonly PathSegment[], message: string, atKey = false): ConfigIssue {
    const offset = this.#offsetOf(path, atKey);
    const pos = this.#lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col, path: pathToString(path), message };
  }

  /** Like issueAt, for something worth saying that does not make the file invalid. */
  warningAt(path: readonly PathSegment[], message: string, atKey = false): ConfigIssue {
    return { ...this.issueAt(path, message, atKey), severity: 'warning' };
  }

  #offsetOf(path: readonly PathSegment[], atKey: boolean): number {
    let node: unknown = this.#doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const isLast = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        if (isLast && atKey) return rangeStart(pair.key) ?? offset;
        node = pair.value;
        offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        node = item;
        offset = rangeStart(item) ?? offset;
      } else {
        break;
      }
    }
    return offset;
  }
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// Control characters, DEL and the Unicode line and paragraph separators: matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/g;

function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Offset of the first bracket that opens a flow collection past MAX_FLOW_DEPTH, if any. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}
