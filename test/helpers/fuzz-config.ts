import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import type { FuzzRandom } from './fuzz-random.js';

/**
 * Mutations a careless technician, a bad merge or a broken disk could make to a roomwatch YAML
 * file. Each takes the file's text and returns the mutant's text; the kind names what was done.
 * Structural mutations go through the YAML document (so the rest of the file stays intact and
 * formatted as it was); the others work on the raw text, where YAML itself may break.
 */
export type ConfigMutationKind =
  | 'delete-key'
  | 'duplicate-key'
  | 'rename-key'
  | 'wrong-type'
  | 'huge-number'
  | 'negative-number'
  | 'unicode'
  | 'empty-value'
  | 'deep-nesting'
  | 'alias-bomb'
  | 'dangling-alias'
  | 'truncate'
  | 'broken-yaml'
  | 'random-bytes'
  | 'extra-document'
  | 'empty-file';

/** Returns the mutant's bytes (a broken file need not be valid UTF-8), undefined when it cannot apply. */
type Mutator = (text: string, random: FuzzRandom) => Buffer | undefined;
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
type PathSegment = string | number;

const HUGE = ['1e308', '1e999', '-1e999', '99999999999999999999999', '9007199254740993', '18446744073709551616', '.inf', '.nan', '0x7fffffffffffffff', '1e-400', '99999d', '999999999999999s', '4294967296'];
const NEGATIVE = ['-1', '-0', '-65535', '-2147483649', '-0.5', '-1s', '-10s'];
const UNICODE = ['温度传感器', '🌡️🔥', '\u202eevil\u202c', 'a\u200bb', 'Ω≈ç√∫', 'x\u0000y', 'ﾃｽﾄ', '\ud83d', 'e\u0301', '𝔘𝔫𝔦'];
const BREAKERS = [': ', ']', '}', '[', '{', '&', '*', '!', '%', '@', '`', '\t', '"', "'", '|', '>', '\n---\n', '\n...\n', '? ', '- ', ' #', ',', '\\', '&&', '!!binary ', '<<: '];

/** Every value in the document as a path, with whether it is a collection. */
function paths(doc: Document): Array<{ path: PathSegment[]; collection: boolean }> {
  const out: Array<{ path: PathSegment[]; collection: boolean }> = [];
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      if (path.length) out.push({ path, collection: true });
      for (const pair of node.items) {
        if (isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      if (path.length) out.push({ path, collection: true });
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (path.length) {
      out.push({ path, collection: false });
    }
  };
  walk(doc.contents, []);
  return out;
}

/** Applies `change` to a parsed copy of the text; undefined when the text is not YAML to begin with. */
function structural(change: (doc: Document, random: FuzzRandom) => boolean): Mutator {
  return (source, random) => {
    const doc = parseDocument(source, { uniqueKeys: false });
    if (doc.errors.length) return undefined;
    try {
      if (!change(doc, random)) return undefined;
      return utf8(doc.toString({ lineWidth: 0 }));
    } catch {
      // The yaml library will not write some documents it read (an alias without its anchor):
      // this mutation does not apply to such a file; the text-level ones still do.
      return undefined;
    }
  };
}

function parentMap(doc: Document, path: PathSegment[]): { map: YAMLMap; key: string } | undefined {
  const key = path.at(-1);
  if (typeof key !== 'string') return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  return isMap(parent) ? { map: parent, key } : undefined;
}

function scalarPaths(doc: Document, filter: (value: unknown) => boolean): PathSegment[][] {
  return paths(doc)
    .filter((p) => !p.collection && filter(doc.getIn(p.path)))
    .map((p) => p.path);
}

function setScalarText(doc: Document, path: PathSegment[], yamlText: string): void {
  // Parsing the replacement as YAML lets ".inf", "0x..." and "1e999" mean what YAML says they mean.
  const replacement = parseDocument(`v: ${yamlText}`).get('v', true) as Node | undefined;
  doc.setIn(path, replacement ?? yamlText);
}

const MUTATORS: Record<ConfigMutationKind, Mutator> = {
  'delete-key': structural((doc, random) => {
    const candidates = paths(doc).filter((p) => typeof p.path.at(-1) === 'string' || typeof p.path.at(-1) === 'number');
    if (!candidates.length) return false;
    doc.deleteIn(random.pick(candidates).path);
    return true;
  }),
  'duplicate-key': (text, random) => {
    // Text level, so YAML itself sees the same key twice (or the same list item twice: a duplicate id).
    const lines = text.split('\n');
    const keyed = lines.map((line, i) => ({ line, i })).filter(({ line }) => /^\s*(- )?[\w-]+:/.test(line) || /\{ *[\w-]+:/.test(line));
    if (!keyed.length) return undefined;
    const { line, i } = random.pick(keyed);
    const flowPair = /([{,] *)([\w-]+: *[^,}]+)/.exec(line);
    if (flowPair && random.chance(0.5)) {
      lines[i] = line.replace(flowPair[0], `${flowPair[0]}, ${flowPair[2]}`);
    } else {
      // A block key: repeat it (with its value) on the next line, dropping a "- " marker.
      lines.splice(i + 1, 0, line.replace(/^(\s*)- /, '$1  '));
    }
    return utf8(lines.join('\n'));
  },
  'rename-key': structural((doc, random) => {
    const candidates = paths(doc).filter((p) => typeof p.path.at(-1) === 'string');
    if (!candidates.length) return false;
    const target = parentMap(doc, random.pick(candidates).path);
    if (!target) return false;
    const pair = target.map.items.find((item) => isScalar(item.key) && String(item.key.value) === target.key);
    if (!pair) return false;
    const others = paths(doc).map((p) => p.path.at(-1)).filter((k): k is string => typeof k === 'string');
    const renamed = random.pick([`${target.key}s`, target.key.toUpperCase(), target.key.replace(/_/g, '-'), `${target.key.slice(0, -1)}`, random.pick(others), ' ', '', '<<', `${target.key}\u200b`, '0']);
    pair.key = doc.createNode(renamed);
    return true;
  }),
  'wrong-type': structural((doc, random) => {
    const all = paths(doc);
    if (!all.length) return false;
    const { path } = random.pick(all);
    const replacement = random.pick<unknown>([true, false, null, 0, 42, 3.5, 'text', ['a', 1], { nested: { key: 1 } }, [], {}, '2026-11-22', '10s', [[1, 2], [3]], { env: 'NOT_SET_ANYWHERE' }]);
    doc.setIn(path, doc.createNode(replacement));
    return true;
  }),
  'huge-number': structural((doc, random) => {
    const candidates = scalarPaths(doc, () => true);
    if (!candidates.length) return false;
    setScalarText(doc, random.pick(candidates), random.pick(HUGE));
    return true;
  }),
  'negative-number': structural((doc, random) => {
    const numeric = scalarPaths(doc, (v) => typeof v === 'number' || (typeof v === 'string' && /^\d/.test(v)));
    const candidates = numeric.length ? numeric : scalarPaths(doc, () => true);
    if (!candidates.length) return false;
    setScalarText(doc, random.pick(candidates), random.pick(NEGATIVE));
    return true;
  }),
  unicode: structural((doc, random) => {
    const candidates = scalarPaths(doc, () => true);
    if (!candidates.length) return false;
    const path = random.pick(candidates);
    const current = String(doc.getIn(path));
    const glyph = random.pick(UNICODE);
    doc.setIn(path, random.chance(0.5) ? glyph : `${current}${glyph}`);
    return true;
  }),
  'empty-value': structural((doc, random) => {
    const all = paths(doc);
    if (!all.length) return false;
    doc.setIn(random.pick(all).path, doc.createNode(random.pick<unknown>(['', null, [], {}, ' '])));
    return true;
  }),
  'deep-nesting': (text, random) => {
    const lines = text.split('\n');
    const valued = lines.map((line, i) => ({ line, i })).filter(({ line }) => /^\s*(- )?[\w-]+: +\S/.test(line) && !/^\s*#/.test(line));
    if (!valued.length) return undefined;
    const { line, i } = random.pick(valued);
    const depth = random.pick([20, 100, 1000, 5000, 20_000]);
    const [open, close] = random.chance(0.5) ? ['[', ']'] : ['{a: ', '}'];
    lines[i] = line.replace(/(: +).*$/, `$1${open.repeat(depth)}1${close.repeat(depth)}`);
    return utf8(lines.join('\n'));
  },
  'alias-bomb': (text, random) => {
    // A billion laughs: each level refers to the one below nine times.
    const levels = random.between(3, 9);
    const bomb = [`lol0: &lol0 [${Array(9).fill('"lol"').join(', ')}]`];
    for (let level = 1; level < levels; level++) bomb.push(`lol${level}: &lol${level} [${Array(9).fill(`*lol${level - 1}`).join(', ')}]`);
    const lines = text.split('\n');
    // Also aim one real key at the top of the bomb, so an early unknown-key error cannot hide it.
    const valued = lines.map((line, i) => ({ line, i })).filter(({ line }) => /^[\w-]+: +\S/.test(line));
    if (valued.length && random.chance(0.5)) {
      const { line, i } = random.pick(valued);
      lines[i] = line.replace(/(: +).*$/, `$1*lol${levels - 1}`);
    }
    return utf8([...bomb, ...lines].join('\n'));
  },
  'dangling-alias': (text, random) => {
    const lines = text.split('\n');
    const valued = lines.map((line, i) => ({ line, i })).filter(({ line }) => /^\s*(- )?[\w-]+: +\S/.test(line));
    if (!valued.length) return undefined;
    const { line, i } = random.pick(valued);
    lines[i] = line.replace(/(: +).*$/, random.pick(['$1*nowhere', '$1&anchor', '$1&a *a', '$1!!int', '$1!unknown-tag x', '$1!!map [1]']));
    return utf8(lines.join('\n'));
  },
  truncate: (text, random) => {
    // Cut at a byte, not a character: a half-written file can end inside a UTF-8 sequence.
    const bytes = Buffer.from(text, 'utf8');
    return bytes.subarray(0, random.int(bytes.length));
  },
  'broken-yaml': (text, random) => {
    let out = text;
    for (let n = random.between(1, 3); n > 0; n--) {
      const at = random.int(out.length + 1);
      const lineStart = out.lastIndexOf('\n', at - 1) + 1;
      const insert = random.chance(0.2) ? random.pick(['\t', '   ', ' ']) : random.pick(BREAKERS);
      // Indentation errors happen at the start of a line, everything else anywhere.
      const where = random.chance(0.3) ? lineStart : at;
      out = out.slice(0, where) + insert + out.slice(where);
    }
    return utf8(out);
  },
  'random-bytes': (text, random) => {
    const bytes = Buffer.from(text, 'utf8');
    for (let n = random.between(1, 8); n > 0 && bytes.length; n--) bytes[random.int(bytes.length)] = random.int(256);
    return bytes;
  },
  'extra-document': (text, random) => utf8(`${text}\n---\n${random.pick(['devices: []', 'x: 1', '[1, 2]', '', '"text"'])}\n`),
  'empty-file': (_text, random) => utf8(random.pick(['', '\n', '# only a comment\n', '---\n', '~\n', '[]\n', '"just text"\n', '\ufeff'])),
};

export const CONFIG_MUTATION_KINDS = Object.keys(MUTATORS) as ConfigMutationKind[];

/** Mutates `text` with one mutation of the given kind; undefined when that kind cannot apply. */
export function mutateConfig(kind: ConfigMutationKind, text: string, random: FuzzRandom): Buffer | undefined {
  return MUTATORS[kind](text, random);
}
