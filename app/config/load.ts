import { existsSync, readdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { DeviceSpec, DeviceTemplate } from '../../common/contracts/device.js';
import type { InfluxSettings } from '../../collector/sink/influx.js';
import { compileDevices, compileDriverCollections } from '../../collector/devices/compile.js';
import { compileAlerting, type AlertingSettings } from '../../alerting/config/compile.js';
import { resolveLinkUrl } from '../../alerting/config/link.js';
import { templateRulesWith } from '../../alerting/config/template-rules.js';
import { BUILT_IN_INCIDENT_TYPES } from '../../alerting/incidents/types.js';
import { duplicates, type Located } from '../../common/config/duplicates.js';
import { DeviceFile, DRIVER_COLLECTIONS, type DeviceInput } from '../../collector/devices/schema.js';
import { MainConfig, type MainConfigInput } from './main-schema.js';
import { compileApi, type ApiSettings } from './api.js';
import { migrateConfig } from './migrate.js';
import { resolveSecret, type Env } from '../../common/config/secret.js';
import { BUILTIN_TEMPLATE_DIR, loadTemplates } from '../../collector/templates/load.js';
import { parseDuration, parseSize } from '../../common/config/units.js';
import { compileDashboards, compileReports, isKnownTimeZone, type DashboardSettings, type ReportsSettings } from '../../reports/config.js';
import { validateAgainst } from '../../common/config/validate.js';
import { YamlSource, type ConfigIssue } from '../../common/config/yaml-source.js';

export interface RoomwatchConfig {
  file: string;
  logLevel: string;
  influx: InfluxSettings;
  spool: { dir: string; maxBytes: number };
  jitter: number;
  templates: Map<string, DeviceTemplate>;
  sites: MainConfigInput['sites'];
  devices: DeviceSpec[];
  alerting: AlertingSettings;
  reports: ReportsSettings;
  dashboards: DashboardSettings;
  api: ApiSettings;
  traps?: { host: string; port: number };
  /** Accepted but suspicious (severity "warning"): `validate` lists them, `run` logs them at start. */
  warnings: ConfigIssue[];
}

/** `warnings` on a failed load are those found before it stopped; they do not cause the failure. */
export type LoadResult = { ok: true; config: RoomwatchConfig } | { ok: false; issues: ConfigIssue[]; warnings?: ConfigIssue[] };

/**
 * Reads and checks the whole configuration (main file, device files, templates) before anything
 * starts. Every problem found is returned, not just the first.
 */
/** What a command loading the configuration will use: a report run from cron never serves the API. */
export interface LoadOptions {
  /** Resolve api.token and read api.tls (default true); false leaves them unset, so their variable need not be set nor files readable. */
  apiToken?: boolean;
}

export function loadConfig(file: string, env: Env = process.env, options: LoadOptions = {}): LoadResult {
  const path = resolve(file);
  if (!existsSync(path)) return { ok: false, issues: [{ file, line: 1, column: 1, path: '', message: 'config file not found' }] };
  const main = YamlSource.read(path);
  if (main.syntaxIssues.length) return { ok: false, issues: main.syntaxIssues };
  const migrated = migrateConfig(main.value ?? {}, main);
  if (migrated.issues.length) return { ok: false, issues: migrated.issues };
  const raw = migrated.value as MainConfigInput;
  const issues = validateAgainst(MainConfig, raw, main);
  if (issues.length) return { ok: false, issues };
  const base = dirname(path);

  const devices: Located<DeviceInput>[] = raw.devices.map((value, i) => ({ value, source: main, path: ['devices', i] }));
  // The drivers' own top-level lists (Modbus `buses`), gathered from every file like the devices.
  const collections: Record<string, Located<unknown>[]> = Object.fromEntries(Object.keys(DRIVER_COLLECTIONS).map((key) => [key, []]));
  const collect = (content: Readonly<Record<string, unknown>>, source: YamlSource) => {
    for (const [key, list] of Object.entries(collections)) (content[key] as unknown[]).forEach((value, i) => list.push({ value, source, path: [key, i] }));
  };
  collect(raw, main);
  for (const entry of expandFiles(raw.device_files.map((f) => resolve(base, f)), main, issues)) {
    const source = YamlSource.read(entry);
    if (source.syntaxIssues.length) {
      issues.push(...source.syntaxIssues);
      continue;
    }
    const content = (source.value ?? {}) as { devices: DeviceInput[] } & Record<string, unknown>;
    const fileIssues = validateAgainst(DeviceFile, content, source);
    issues.push(...fileIssues);
    if (fileIssues.length) continue;
    content.devices.forEach((value, i) => devices.push({ value, source, path: ['devices', i] }));
    collect(content, source);
  }

  // Checked before templates and devices are compiled, so an error in a device does not also claim
  // there are none: a configuration without devices would start and monitor nothing.
  if (!issues.length) issues.push(...noDevices(devices, main));
  issues.push(...influxUrlIssues(raw.influxdb.url, main));

  // Templates name incident types; the config may add some, so they are checked against both.
  const incidentTypes = [...new Set([...BUILT_IN_INCIDENT_TYPES, ...raw.alerting.incidents.types].map((t) => t.name))].sort();
  const templateSet = loadTemplates([BUILTIN_TEMPLATE_DIR, ...raw.templates.map((d) => resolve(base, d))], templateRulesWith(incidentTypes));
  issues.push(...templateSet.issues);

  const shared = compileDriverCollections(collections, issues);
  const specs = compileDevices(devices, raw, templateSet.templates, shared, issues, env);
  issues.push(...duplicates(raw.sites.map((s, i) => ({ value: s, source: main, path: ['sites', i] })), 'site'));
  raw.sites.forEach((site, i) =>
    issues.push(...duplicates(site.rooms.map((r, j) => ({ value: r, source: main, path: ['sites', i, 'rooms', j] })), `room of site "${site.id}"`)),
  );
  const shippedRules = new Set(['device_comms_lost', 'device_data_stale', ...[...templateSet.templates.values()].flatMap((t) => t.rules.map((r) => r.name))]);
  const alerting = compileAlerting(raw.alerting, { source: main, baseDir: base, env, shippedRules, issues });
  issues.push(...reportsIssues(raw, main));
  const influxPassword = raw.influxdb.password === undefined ? undefined : resolveSecret(raw.influxdb.password, env, main, ['influxdb', 'password'], issues);
  const api = compileApi(raw.api, main, base, env, options.apiToken !== false, issues);
  if (issues.length) return { ok: false, issues, warnings: templateSet.warnings };
  // Where alerting and the API meet: the link in messages opens the API until a console exists.
  const link = resolveLinkUrl(raw.alerting, raw.api.listen, alerting.receivers.length, main, ['alerting'], hostname());
  alerting.linkUrl = link.url;

  const influx = raw.influxdb;
  return {
    ok: true,
    config: {
      file: path,
      logLevel: raw.log_level,
      influx: {
        url: influx.url,
        database: influx.database,
        username: influx.username,
        password: influxPassword,
        batchSize: influx.batch_size,
        flushIntervalMs: parseDuration(influx.flush_interval),
        timeoutMs: parseDuration(influx.timeout),
        rawRetentionMs: parseDuration(influx.raw_retention),
        longTermRetentionMs: parseDuration(influx.long_term_retention),
        eventsRetentionMs: parseDuration(influx.events_retention),
        downsampleIntervalMs: parseDuration(influx.downsample_interval),
      },
      spool: { dir: resolve(base, raw.spool.dir), maxBytes: parseSize(raw.spool.max_size) },
      jitter: raw.collector.jitter,
      templates: templateSet.templates,
      sites: raw.sites,
      devices: specs,
      alerting,
      reports: compileReports(raw.reports, (p) => resolve(base, p)),
      dashboards: compileDashboards(raw.dashboards, influx.url),
      traps: raw.traps && { host: raw.traps.listen.slice(0, raw.traps.listen.lastIndexOf(':')), port: Number(raw.traps.listen.slice(raw.traps.listen.lastIndexOf(':') + 1)) },
      api,
      warnings: [...templateSet.warnings, ...link.warnings],
    },
  };
}

/** The inspection report mails through alerting receivers: each named one must exist and send email. */
function reportsIssues(raw: MainConfigInput, main: YamlSource): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!isKnownTimeZone(raw.reports.timezone)) {
    issues.push(main.issueAt(['reports', 'timezone'], `unknown time zone "${raw.reports.timezone}": expected an IANA name such as Asia/Shanghai`));
  }
  raw.reports.inspection.receivers.forEach((name, i) => {
    const receiver = raw.alerting.receivers.find((r) => r.id === name);
    if (!receiver) issues.push(main.issueAt(['reports', 'inspection', 'receivers', i], `no alerting receiver named "${name}"`));
    else if (receiver.type !== 'email') issues.push(main.issueAt(['reports', 'inspection', 'receivers', i], `receiver "${name}" is ${receiver.type}; the inspection report is mailed, so it needs an email receiver`));
  });
  return issues;
}

function noDevices(devices: Located<DeviceInput>[], main: YamlSource): ConfigIssue[] {
  if (!devices.length) {
    return [main.issueAt(['devices'], 'no devices: list them under "devices:" or in a file named by "device_files"; a configuration without devices would monitor nothing', true)];
  }
  if (devices.every((d) => !d.value.enabled)) {
    const { value, source, path } = devices[0]!;
    return [source.issueAt([...path, 'enabled'], `every device is disabled (enabled: false), starting with "${value.id}"; roomwatch would monitor nothing`)];
  }
  return [];
}

/** The schema only checks the scheme; the URL must also parse, with a usable port. */
function influxUrlIssues(text: string, main: YamlSource): ConfigIssue[] {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  // The value is not echoed: an InfluxDB URL may carry user:password.
  if (!url || !url.hostname || url.port === '0') {
    return [main.issueAt(['influxdb', 'url'], 'expected an http(s) URL such as http://127.0.0.1:8086, with a host and a port from 1 to 65535')];
  }
  return [];
}

function expandFiles(entries: string[], main: YamlSource, issues: ConfigIssue[]): string[] {
  const files: string[] = [];
  entries.forEach((entry, i) => {
    if (!existsSync(entry)) {
      issues.push(main.issueAt(['device_files', i], `no such file or directory: ${entry}`));
    } else if (statSync(entry).isDirectory()) {
      files.push(...readdirSync(entry).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(entry, f)));
    } else {
      files.push(entry);
    }
  });
  return files;
}
