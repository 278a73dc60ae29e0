import { Type, type Static } from '@sinclair/typebox';
import { AlertingConfig } from '../../alerting/config/schema.js';
import { DurationAtLeast, Identifier, Labels, ListenAddress, SecretValue, Size } from '../../common/config/primitives.js';
import { DEVICE_COLLECTIONS, MIN_POLL_INTERVAL } from '../../collector/devices/schema.js';
import { CURRENT_CONFIG_VERSION } from './migrate.js';
import { DashboardsConfig, ReportsConfig } from '../../reports/config.js';
import { ROLES } from '../../api/access.js';
import { TOKEN_HASH_PATTERN } from '../../api/credentials.js';

/**
 * JSON Schema of the main config file. Every key carries a description (shown in errors and docs)
 * and defaults live here, not in code. additionalProperties is false everywhere so a misspelt key
 * is an error instead of a silently ignored setting.
 */

const strict = { additionalProperties: false } as const;

/** Someone allowed to call the API (api/access.ts): only the token's hash is written down. */
const ApiUser = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\x00-\\x1f\\x7f]+$', description: 'a name of 1 to 64 characters without control characters, recorded in acknowledgements and the audit log' }),
    role: Type.Union(ROLES.map((r) => Type.Literal(r)), { description: `one of ${ROLES.join(', ')}` }),
    token_hash: Type.String({ pattern: TOKEN_HASH_PATTERN, description: '"sha256:" and 64 lowercase hex digits, as printed by roomwatch token new' }),
  },
  strict,
);

const Room = Type.Object({ id: Identifier, name: Type.Optional(Type.String()), labels: Type.Optional(Labels) }, strict);
const Site = Type.Object(
  { id: Identifier, name: Type.Optional(Type.String()), labels: Type.Optional(Labels), rooms: Type.Array(Room, { minItems: 1 }) },
  strict,
);

export const MainConfig = Type.Object(
  {
    version: Type.Integer({
      minimum: 1,
      maximum: CURRENT_CONFIG_VERSION,
      default: 1,
      description: `layout of this file; older layouts are migrated when loaded (this roomwatch reads up to ${CURRENT_CONFIG_VERSION})`,
    }),
    log_level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l)), {
      default: 'info',
      description: 'fatal, error, warn, info, debug or trace',
    }),
    influxdb: Type.Object(
      {
        url: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8086', description: 'an http(s) URL such as http://127.0.0.1:8086' }),
        database: Type.String({ minLength: 1, default: 'roomwatch' }),
        username: Type.Optional(Type.String()),
        password: Type.Optional(SecretValue),
        batch_size: Type.Integer({ minimum: 1, maximum: 100_000, default: 5000 }),
        // Below 100 ms every few readings would become a spool segment with its own fsync.
        flush_interval: DurationAtLeast('100ms', { default: '1s', meaning: 'longest a reading waits in memory' }),
        timeout: DurationAtLeast('100ms', { default: '10s', meaning: 'per write request' }),
        // InfluxDB 1.x refuses retention policies shorter than one hour.
        raw_retention: DurationAtLeast('1h', { default: '30d', meaning: 'InfluxDB keeps no retention policy shorter than 1h' }),
        long_term_retention: DurationAtLeast('1h', { default: '730d', meaning: 'InfluxDB keeps no retention policy shorter than 1h' }),
        // Five years: last year's monthly fault counts and a few years of comparison with it, at a
        // cost of a few hundred points a day at worst; bounded so a flood of events still ages out.
        events_retention: DurationAtLeast('1h', { default: '1825d', meaning: 'retention policy "events" (alert_events), never downsampled' }),
        downsample_interval: DurationAtLeast('1s', { default: '5m', meaning: 'GROUP BY time() of the continuous query' }),
      },
      { ...strict, default: {} },
    ),
    spool: Type.Object(
      {
        dir: Type.String({ minLength: 1, default: 'data/spool', description: 'relative to the config file' }),
        max_size: Size('256MiB'),
      },
      { ...strict, default: {} },
    ),
    collector: Type.Object(
      {
        default_interval: DurationAtLeast(MIN_POLL_INTERVAL, { default: '10s', meaning: 'time between polls of a device without its own "interval"' }),
        jitter: Type.Number({ minimum: 0, maximum: 0.5, default: 0.1, description: 'fraction of the interval each poll may move' }),
      },
      { ...strict, default: {} },
    ),
    alerting: AlertingConfig,
    traps: Type.Optional(
      Type.Object(
        { listen: ListenAddress('127.0.0.1:1162', 'where SNMP traps and informs arrive (loopback unless configured)') },
        { ...strict, description: 'receive SNMP traps/informs from the configured SNMP devices' },
      ),
    ),
    api: Type.Object(
      {
        listen: ListenAddress('127.0.0.1:8080', 'loopback unless you mean otherwise'),
        token: Type.Optional(SecretValue),
        users: Type.Array(ApiUser, { default: [], description: 'who may use the API and the console, with their roles' }),
        tls: Type.Optional(
          Type.Object(
            {
              cert_file: Type.String({ minLength: 1, description: 'the PEM certificate (chain), relative to this file' }),
              key_file: Type.String({ minLength: 1, description: 'its PEM private key, relative to this file' }),
            },
            { ...strict, description: 'serve the API and the console over https' },
          ),
        ),
      },
      { ...strict, default: {} },
    ),
    reports: ReportsConfig,
    dashboards: DashboardsConfig,
    templates: Type.Array(Type.String(), { default: [], description: 'extra template directories, relative to this file' }),
    device_files: Type.Array(Type.String(), { default: [], description: 'device files or directories of them, relative to this file' }),
    sites: Type.Array(Site, { default: [] }),
    ...DEVICE_COLLECTIONS,
  },
  strict,
);
export type MainConfigInput = Static<typeof MainConfig>;
