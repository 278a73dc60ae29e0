import type { ConfigIssue, YamlSource } from '../../common/config/yaml-source.js';

/** The main config layout this roomwatch reads; a file without `version` is taken as version 1. */
export const CURRENT_CONFIG_VERSION = 1;

/**
 * One step of the config layout's history. `migrate` receives the raw YAML value (not validated,
 * defaults not filled in) written for version `from` and returns it in the layout of `to`; the
 * runner then writes `version: to`. It must not throw on odd input: anything it does not recognise
 * is left in place for the schema to report with its position.
 */
export interface ConfigMigration {
  from: number;
  to: number;
  /** What changed, for the reader of this table (e.g. 'alerting.routes renamed to alerting.routing'). */
  what: string;
  migrate(raw: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Empty at version 1. To change the layout incompatibly: raise CURRENT_CONFIG_VERSION to N, change
 * main-schema.ts to the new layout, and add `{ from: N - 1, to: N, what, migrate }` here, turning
 * an old file's value into the new layout. Old files keep loading; error positions still point at
 * the user's own lines, because a moved key is located at its nearest existing ancestor.
 */
export const MIGRATIONS: readonly ConfigMigration[] = [];

export interface MigrationTable {
  current: number;
  migrations: readonly ConfigMigration[];
}

const SHIPPED: MigrationTable = { current: CURRENT_CONFIG_VERSION, migrations: MIGRATIONS };

/**
 * Brings the raw main-config value up to the current layout, before validation. A version newer
 * than this program is refused here, at its line, instead of being half-understood. A version that
 * is not a positive integer is left alone: the schema's own message for `version` describes it.
 */
export function migrateConfig(raw: unknown, source: YamlSource, table: MigrationTable = SHIPPED): { value: unknown; issues: ConfigIssue[] } {
  if (!isRecord(raw)) return { value: raw, issues: [] };
  const written = raw.version ?? 1;
  if (typeof written !== 'number' || !Number.isInteger(written) || written < 1) return { value: raw, issues: [] };
  if (written > table.current) {
    const reads = table.current === 1 ? 'version 1' : `versions 1 to ${table.current}`;
    return {
      value: raw,
      issues: [source.issueAt(['version'], `this file is written for config version ${written}; this roomwatch reads ${reads}: upgrade roomwatch or use a file for version ${table.current}`)],
    };
  }
  let value = raw;
  for (let version = written; version < table.current; ) {
    const step = table.migrations.find((m) => m.from === version);
    // A gap in the table is a bug in roomwatch, not in the user's file, but it must still not crash the loader.
    if (!step || step.to <= version) {
      return { value, issues: [source.issueAt(['version'], `no migration from config version ${version} in this roomwatch (it reads version ${table.current})`)] };
    }
    value = { ...step.migrate(value), version: step.to };
    version = step.to;
  }
  return { value, issues: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
