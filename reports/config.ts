import { Type, type Static } from '@sinclair/typebox';
import { Duration, DurationAtLeast, Identifier } from '../common/config/primitives.js';
import { parseDuration } from '../common/config/units.js';

/** The `reports:` and `dashboards:` sections of the main file, and their compiled settings. */

const strict = { additionalProperties: false } as const;
type Severity = 'critical' | 'major' | 'minor' | 'warning';
const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'warning'];

const PerSeverity = (defaults: Record<Severity, string>, meaning: string) =>
  Type.Object(Object.fromEntries(SEVERITIES.map((s) => [s, Duration])) as Record<Severity, typeof Duration>, {
    ...strict,
    default: defaults,
    description: `${meaning}, per severity (critical, major, minor, warning)`,
  });

export const ReportsConfig = Type.Object(
  {
    timezone: Type.String({
      minLength: 1,
      default: 'Asia/Shanghai',
      description: 'IANA time zone of days, months and years in statistics and of the inspection time, e.g. Asia/Shanghai',
    }),
    faults: Type.Object(
      {
        // Proposals, not standards: DOMAIN.md gives alarm delivery times, not repair times; each
        // O&M center sets its own, so they are configuration.
        resolve_within: PerSeverity({ critical: '4h', major: '8h', minor: '24h', warning: '72h' }, 'time limit for a fault to be resolved'),
        acknowledge_within: PerSeverity({ critical: '15m', major: '30m', minor: '2h', warning: '8h' }, 'time limit for a fault to be acknowledged'),
        stats_interval: DurationAtLeast('10s', { default: '5m', meaning: 'how often the daemon rewrites fault_stats for the days that can still change' }),
      },
      { ...strict, default: {} },
    ),
    inspection: Type.Object(
      {
        at: Type.Optional(
          Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'local time HH:MM (reports.timezone) the daily inspection report of the day before is made; without it, on demand only' }),
        ),
        receivers: Type.Array(Identifier, { default: [], description: 'alerting receivers (email) the daily report is mailed to' }),
        out_dir: Type.String({ minLength: 1, default: 'data/reports', description: 'where the daily HTML reports are written, relative to the config file' }),
        near_threshold: Type.Number({
          exclusiveMinimum: 0,
          maximum: 0.5,
          default: 0.1,
          description: 'a reading is "near a threshold" within this fraction of the distance between the limit and the normal band (0.1 = 10 %)',
        }),
      },
      { ...strict, default: {} },
    ),
  },
  { ...strict, default: {} },
);

export const DashboardsConfig = Type.Object(
  {
    datasource: Type.Object(
      {
        name: Type.String({ minLength: 1, default: 'roomwatch InfluxDB' }),
        uid: Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$', default: 'roomwatch-influxdb', description: 'Grafana datasource uid (letters, digits, _ -; at most 40)' }),
        url: Type.Optional(Type.String({ pattern: '^https?://', description: 'InfluxDB as Grafana reaches it; default influxdb.url' })),
      },
      { ...strict, default: {} },
    ),
    folder: Type.String({ minLength: 1, default: 'roomwatch', description: 'Grafana folder of the generated dashboards' }),
  },
  { ...strict, default: {} },
);

export type ReportsConfigInput = Static<typeof ReportsConfig>;
export type DashboardsConfigInput = Static<typeof DashboardsConfig>;

export interface ReportsSettings {
  timezone: string;
  faults: {
    resolveWithinMs: Record<Severity, number>;
    acknowledgeWithinMs: Record<Severity, number>;
    statsIntervalMs: number;
  };
  inspection: {
    /** HH:MM local time, or undefined: on demand only. */
    at?: string;
    receivers: string[];
    outDir: string;
    nearThreshold: number;
  };
}

export interface DashboardSettings {
  datasource: { name: string; uid: string; url: string };
  folder: string;
}

const perSeverityMs = (input: Record<Severity, string>) =>
  Object.fromEntries(SEVERITIES.map((s) => [s, parseDuration(input[s])])) as Record<Severity, number>;

export function compileReports(input: ReportsConfigInput, resolvePath: (path: string) => string): ReportsSettings {
  return {
    timezone: input.timezone,
    faults: {
      resolveWithinMs: perSeverityMs(input.faults.resolve_within),
      acknowledgeWithinMs: perSeverityMs(input.faults.acknowledge_within),
      statsIntervalMs: parseDuration(input.faults.stats_interval),
    },
    inspection: {
      at: input.inspection.at,
      receivers: input.inspection.receivers,
      outDir: resolvePath(input.inspection.out_dir),
      nearThreshold: input.inspection.near_threshold,
    },
  };
}

export function compileDashboards(input: DashboardsConfigInput, influxUrl: string): DashboardSettings {
  return { datasource: { name: input.datasource.name, uid: input.datasource.uid, url: input.datasource.url ?? influxUrl }, folder: input.folder };
}

/** A time zone name Intl does not know would make every day boundary wrong: checked at load. */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
