import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import type { Env } from '../common/config/secret.js';
import { buildProvisioning, PASSWORD_ENV } from '../dashboards/build.js';

export const DASHBOARDS_USAGE = `roomwatch dashboards build --config FILE --out DIR [--grafana-dir PATH]
  write a Grafana provisioning tree generated from the config and its templates:
  DIR/provisioning/datasources/roomwatch.yaml (InfluxDB, InfluxQL), DIR/provisioning/dashboards/roomwatch.yaml
  (a file provider) and DIR/dashboards/**/*.json; point Grafana's paths.provisioning at DIR/provisioning.
  --grafana-dir: DIR as Grafana sees it (another machine, a container mount); default: DIR's absolute path.
  The InfluxDB password, if any, is read by Grafana from \${${PASSWORD_ENV}}, never written out.
  生成 Grafana 配置目录（数据源、仪表盘提供者与仪表盘），把 Grafana 的 provisioning 路径指向 DIR/provisioning。`;

/**
 * Secrets are not needed to draw dashboards, and must not be: a variable the config names for one
 * (an API token, the InfluxDB password) reads as a placeholder when unset, so the build needs none.
 */
const secretFreeEnv = (env: Env): Env => new Proxy(env, { get: (target, name) => (typeof name === 'string' ? target[name] || 'unset' : undefined) });

export function dashboardsCommand(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub !== 'build') {
    process.stderr.write(`roomwatch dashboards: expected "build"${sub === undefined ? '' : `, not "${sub}"`}\n\n${DASHBOARDS_USAGE}\n`);
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { config: { type: 'string', short: 'c' }, out: { type: 'string' }, 'grafana-dir': { type: 'string' } }, strict: true });
  if (!values.config || !values.out) {
    process.stderr.write(`roomwatch dashboards build: --config FILE and --out DIR are required\n\n${DASHBOARDS_USAGE}\n`);
    return 2;
  }
  const files = writeProvisioningTree(values.config, values.out, values['grafana-dir']);
  if (!files.ok) return 1;
  process.stdout.write(`wrote ${files.count} files to ${resolve(values.out)}; point Grafana's provisioning path at ${join(resolve(values.out), 'provisioning')}\n`);
  return 0;
}

/** Loads the config and replaces DIR's dashboards/ and provisioning/ with the generated tree; also used by `roomwatch demo`. */
export function writeProvisioningTree(configFile: string, out: string, grafanaDir?: string): { ok: true; count: number } | { ok: false } {
  const loaded = loadConfig(configFile, secretFreeEnv(process.env));
  if (!loaded.ok) {
    for (const issue of loaded.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    return { ok: false };
  }
  const dir = resolve(out);
  const files = buildProvisioning(loaded.config, join(grafanaDir ?? dir, 'dashboards'));
  // A dashboard of a category no longer configured must not linger.
  for (const sub of ['dashboards', 'provisioning']) rmSync(join(dir, sub), { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  return { ok: true, count: files.length };
}
