import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURRENT_CONFIG_VERSION, MIGRATIONS, migrateConfig, type MigrationTable } from './migrate.js';
import { loadConfig } from './load.js';
import { formatIssue, YamlSource } from '../../common/config/yaml-source.js';

// A made-up history used only here, to prove the mechanism while the shipped table is empty:
// v1 called the API block `http`, v2 renamed it to `api`, v3 split `api.listen` into host and port.
const HISTORY: MigrationTable = {
  current: 3,
  migrations: [
    {
      from: 2,
      to: 3,
      what: 'api.listen split into api.host and api.port',
      migrate: (raw) => {
        const api = raw.api as { listen: string };
        const [host, port] = api.listen.split(':');
        return { ...raw, api: { host, port: Number(port) } };
      },
    },
    { from: 1, to: 2, what: 'http renamed to api', migrate: ({ http, ...rest }) => ({ ...rest, api: http }) },
  ],
};

function source(text: string): YamlSource {
  return new YamlSource('roomwatch.yaml', text);
}

describe('migrateConfig', () => {
  it('applies the steps in version order, each on the result of the one before, and ends at the current version', () => {
    const file = source('version: 1\nhttp:\n  listen: 127.0.0.1:9090\n');
    const result = migrateConfig(file.value, file, HISTORY);
    expect(result.issues).toEqual([]);
    expect(result.value).toEqual({ version: 3, api: { host: '127.0.0.1', port: 9090 } });
  });

  it('starts from the version the file names', () => {
    const file = source('version: 2\napi:\n  listen: 10.0.0.1:80\n');
    expect(migrateConfig(file.value, file, HISTORY).value).toEqual({ version: 3, api: { host: '10.0.0.1', port: 80 } });
  });

  it('treats a file without a version as version 1', () => {
    const file = source('http:\n  listen: 127.0.0.1:9090\n');
    expect(migrateConfig(file.value, file, HISTORY).value).toEqual({ version: 3, api: { host: '127.0.0.1', port: 9090 } });
  });

  it('refuses a version newer than the program at its line and column, saying which versions it reads', () => {
    const file = source('log_level: info\nversion: 4\n');
    const result = migrateConfig(file.value, file, HISTORY);
    expect(result.issues.map(formatIssue)).toEqual([
      'roomwatch.yaml:2:10: version: this file is written for config version 4; this roomwatch reads versions 1 to 3: upgrade roomwatch or use a file for version 3',
    ]);
  });

  it('leaves a version that is not a positive integer to the schema', () => {
    const file = source('version: "two"\n');
    expect(migrateConfig(file.value, file, HISTORY)).toEqual({ value: { version: 'two' }, issues: [] });
  });

  it('reports a gap in the table instead of looping or throwing', () => {
    const file = source('version: 1\n');
    const gap: MigrationTable = { current: 3, migrations: HISTORY.migrations.filter((m) => m.from !== 1) };
    expect(migrateConfig(file.value, file, gap).issues.map(formatIssue)).toEqual([
      'roomwatch.yaml:1:10: version: no migration from config version 1 in this roomwatch (it reads version 3)',
    ]);
  });

  it('ships a table that reaches the current version from version 1', () => {
    let version = 1;
    for (const step of [...MIGRATIONS].sort((a, b) => a.from - b.from)) {
      expect(step.from).toBe(version);
      version = step.to;
    }
    expect(version).toBe(CURRENT_CONFIG_VERSION);
  });
});

describe('loadConfig and the config version', () => {
  const devices = `
sites: [{ id: hz, rooms: [{ id: r101 }] }]
devices:
  - { id: ups-1, site: hz, room: r101, template: ups-rfc1628, snmp: { host: 127.0.0.1, community: public } }
`;
  function write(text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'roomwatch-version-'));
    writeFileSync(join(dir, 'roomwatch.yaml'), text);
    return join(dir, 'roomwatch.yaml');
  }

  it('loads a file that says version 1 and one that says nothing', () => {
    for (const text of [`version: 1\n${devices}`, devices]) {
      const result = loadConfig(write(text));
      expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
    }
  });

  it('refuses a file from a newer roomwatch with its position, before reporting anything else', () => {
    const file = write(`version: ${CURRENT_CONFIG_VERSION + 1}\nno_such_key: 1\n${devices}`);
    const result = loadConfig(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual([
      `${file}:1:10: version: this file is written for config version ${CURRENT_CONFIG_VERSION + 1}; this roomwatch reads version 1: upgrade roomwatch or use a file for version 1`,
    ]);
  });

  it('reports a version below 1 through the schema', () => {
    const result = loadConfig(write(`version: 0\n${devices}`));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual(['version']);
  });
});
