import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/load.js';
import { formatIssue, type ConfigIssue } from '../../common/config/yaml-source.js';
import { CONFIG_MUTATION_KINDS, mutateConfig, type ConfigMutationKind } from '../helpers/fuzz-config.js';
import { FuzzRandom } from '../helpers/fuzz-random.js';
import { ROOT, runCli } from '../helpers/processes.js';

// Random (seeded) mutations of every shipped example config, demo config and template, each
// checked the way `roomwatch validate` checks it: in-process for most (fast), and a sample through
// the real CLI. Every run must end valid, or invalid with each problem located as
// file:line:column: path: message; a thrown exception or a stack trace is a failure.
// CHAOS_SEED replays another sequence of mutants; CHAOS_DUMP=FILE writes every failure found to FILE.
const SEED = Number(process.env.CHAOS_SEED ?? 20261202);
const MUTANTS = 1040;
const CLI_EVERY = 65;
const ENV = { ROOMWATCH_API_TOKEN: 'fuzz-token' };
const work = mkdtempSync(join(tmpdir(), 'chaos-config-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One file to mutate, with the main file whose validation reads it. */
interface Target {
  name: string;
  tree: string;
  file: string;
  main: string;
  original: string;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

/** A private copy of a shipped config tree, so mutants never touch the repository. */
function configTargets(name: string, source: string, mainName: string): Target[] {
  const tree = join(work, name);
  cpSync(source, tree, { recursive: true });
  // The generated Grafana tree (config/demo/grafana) is YAML roomwatch never reads: mutating it tests nothing.
  return yamlFiles(tree)
    .filter((file) => !relative(tree, file).startsWith('grafana/'))
    .map((file) => ({ name: `${name}/${relative(tree, file)}`, tree, file, main: join(tree, mainName), original: readFileSync(file, 'utf8') }));
}

/**
 * A template is exercised by a main file whose device uses it. The copy is renamed, since the
 * built-in templates always load and a second definition of a name is (rightly) an error.
 */
function templateTarget(templateFile: string): Target {
  const stem = basename(templateFile, '.yaml');
  const tree = join(work, `template-${stem}`);
  mkdirSync(join(tree, 'templates'), { recursive: true });
  const original = readFileSync(templateFile, 'utf8').replace(/^name: .*$/m, `name: fuzz-${stem}`);
  const file = join(tree, 'templates', `${stem}.yaml`);
  const snmp = /^driver: snmp/m.test(original);
  const access = snmp ? 'snmp: { host: 127.0.0.1, community: public }' : 'modbus: { transport: tcp, host: 127.0.0.1, port: 502, unit_id: 1 }';
  const main = join(tree, 'roomwatch.yaml');
  writeFileSync(
    main,
    `influxdb: { url: "http://127.0.0.1:8086", database: fuzz }
spool: { dir: spool }
templates: [templates]
sites: [{ id: site-1, rooms: [{ id: room-1 }] }]
devices:
  - { id: dev-1, site: site-1, room: room-1, template: fuzz-${stem}, ${access} }
`,
  );
  return { name: `templates/${stem}.yaml`, tree, file, main, original };
}

const targets: Target[] = [
  ...configTargets('examples', join(ROOT, 'config', 'examples'), 'realdata-room.yaml'),
  ...configTargets('demo', join(ROOT, 'config', 'demo'), 'roomwatch.yaml'),
  ...yamlFiles(join(ROOT, 'config', 'templates')).map(templateTarget),
];

const STACK_TRACE = /\n\s+at |\b(TypeError|ReferenceError|RangeError|SyntaxError|InternalError)\b|Cannot read properties|is not a function|\[object Object\]|Maximum call stack/;

/** What is wrong with one reported problem, if anything: located, one line, no crash text. */
function issueProblem(issue: ConfigIssue, files: ReadonlySet<string>): string | undefined {
  const text = formatIssue(issue);
  if (text.includes('\n') || text.includes('\r')) return `not one line: ${JSON.stringify(text)}`;
  if (STACK_TRACE.test(text)) return `crash text in a problem: ${text}`;
  if (!Number.isInteger(issue.line) || issue.line < 1 || !Number.isInteger(issue.column) || issue.column < 1) return `no line:column: ${text}`;
  if (!issue.message.trim()) return `empty message: ${text}`;
  if (!files.has(issue.file)) return `names a file that is not part of this configuration: ${text}`;
  if (existsSync(issue.file) && statSync(issue.file).isFile()) {
    const lines = readFileSync(issue.file, 'latin1').split('\n').length;
    if (issue.line > lines + 1) return `line ${issue.line} past the end of the file (${lines} lines): ${text}`;
  }
  return undefined;
}

/** The files (and directories) a problem may legitimately name for a target's configuration. */
function knownFiles(target: Target): Set<string> {
  const files = new Set<string>([target.main, target.tree, ...yamlFiles(target.tree)]);
  for (const file of yamlFiles(join(ROOT, 'config', 'templates'))) files.add(file);
  // Directories a mutant names (device_files, templates) are reported by the path it gave.
  for (const entry of readdirSync(target.tree)) files.add(join(target.tree, entry));
  return files;
}

interface Mutant {
  target: Target;
  kinds: ConfigMutationKind[];
  bytes: Buffer;
}

function makeMutant(random: FuzzRandom, target: Target): Mutant | undefined {
  const kinds: ConfigMutationKind[] = [];
  let bytes: Buffer | undefined;
  // One to three mutations stacked: a broken file is rarely broken in just one place.
  const count = random.weighted([[6, 1], [3, 2], [1, 3]] as const);
  for (let n = 0; n < count; n++) {
    const kind = random.pick(CONFIG_MUTATION_KINDS);
    const next = mutateConfig(kind, bytes ? bytes.toString('utf8') : target.original, random);
    if (!next) continue;
    bytes = next;
    kinds.push(kind);
  }
  return bytes ? { target, kinds, bytes } : undefined;
}

describe('config fuzzer', () => {
  it(`validates ${MUTANTS} mutants of the shipped configs and templates without a crash, every problem located`, async () => {
    const random = new FuzzRandom(SEED);
    const byKind: Record<string, number> = {};
    const bySource: Record<string, number> = {};
    const failures: string[] = [];
    const cliSamples: Mutant[] = [];
    let valid = 0;
    let invalid = 0;
    let crashes = 0;
    let made = 0;
    let attempts = 0;
    while (made < MUTANTS && attempts < MUTANTS * 3) {
      attempts++;
      const target = targets[made % targets.length]!;
      const mutant = makeMutant(random, target);
      if (!mutant) continue;
      made++;
      for (const kind of mutant.kinds) byKind[kind] = (byKind[kind] ?? 0) + 1;
      bySource[target.name] = (bySource[target.name] ?? 0) + 1;
      writeFileSync(target.file, mutant.bytes);
      const files = knownFiles(target);
      const label = `mutant ${made} of ${target.name} (${mutant.kinds.join('+')}, seed ${SEED})`;
      try {
        const result = loadConfig(target.main, ENV);
        if (result.ok) {
          valid++;
        } else {
          invalid++;
          if (!result.issues.length) failures.push(`${label}: invalid without a single problem listed`);
          for (const issue of result.issues) {
            const problem = issueProblem(issue, files);
            if (problem) failures.push(`${label}: ${problem}`);
          }
        }
      } catch (error) {
        crashes++;
        failures.push(`${label}: threw ${(error as Error).stack ?? String(error)}`);
      } finally {
        writeFileSync(target.file, target.original);
      }
      if (made % CLI_EVERY === 0) cliSamples.push(mutant);
    }

    // The real CLI on a sample, each in its own copy of the tree (two at a time: a small machine).
    let cliRuns = 0;
    const runSample = async (mutant: Mutant, index: number): Promise<void> => {
      const copy = join(work, `cli-${index}`);
      cpSync(mutant.target.tree, copy, { recursive: true });
      writeFileSync(join(copy, relative(mutant.target.tree, mutant.target.file)), mutant.bytes);
      const { code, stdout, stderr } = await runCli(['validate', '--config', join(copy, relative(mutant.target.tree, mutant.target.main))], ENV);
      cliRuns++;
      const label = `CLI sample ${index} of ${mutant.target.name} (${mutant.kinds.join('+')}, seed ${SEED})`;
      if (code === 0) {
        if (!/: valid \(/.test(stdout)) failures.push(`${label}: exit 0 without "valid": ${stdout}`);
        return;
      }
      if (code !== 1) failures.push(`${label}: exit ${code}: ${stderr}`);
      const lines = stderr.trimEnd().split('\n');
      const summary = lines.pop() ?? '';
      if (!/^\d+ problems? found; nothing was started\.$/.test(summary)) failures.push(`${label}: last line is not the summary: ${summary}`);
      if (!lines.length) failures.push(`${label}: exit 1 without a problem listed`);
      for (const line of lines) {
        if (!/^\/.+:\d+:\d+: .+: .+$/.test(line) || STACK_TRACE.test(line)) failures.push(`${label}: not file:line:column: path: message: ${line}`);
      }
    };
    for (let i = 0; i < cliSamples.length; i += 2) await Promise.all(cliSamples.slice(i, i + 2).map((m, j) => runSample(m, i + j)));

    console.log(`chaos-figures ${JSON.stringify({ suite: 'config-fuzz', seed: SEED, configs_fuzzed: made, valid, invalid, crashes, cli_sampled: cliRuns, mutations: byKind, sources: bySource, failures: failures.length })}`);
    if (process.env.CHAOS_DUMP) writeFileSync(process.env.CHAOS_DUMP, failures.join('\n====\n'));
    expect(failures.slice(0, 20)).toEqual([]);
    expect(crashes).toBe(0);
    expect(made).toBeGreaterThanOrEqual(1000);
    expect(cliRuns).toBe(cliSamples.length);
    // Every source and every kind of mutation really ran.
    expect(Object.keys(bySource).length).toBe(targets.length);
    expect(Object.keys(byKind).sort()).toEqual([...CONFIG_MUTATION_KINDS].sort());
  });
});
