import { Type, type Static } from '@sinclair/typebox';
import { AlertingConfig } from '../../alerting/config/schema.js';
import { Duration, DurationAtLeast, Identifier, Labels, ListenAddress, SecretValue, Size } from '../../common/config/primitives.js';

export { Duration, Identifier, Labels, SecretValue };

/**
 * JSON Schemas of the main config file and device files. Every key carries a description (shown in
 * errors and docs) and defaults live here, not in code. additionalProperties is false everywhere so
 * a misspelt key is an error instead of a silently ignored setting.
 */

const strict = { additionalProperties: false } as const;

/**
 * A device answers in tens to hundreds of milliseconds, an RS-485 line at 9600 baud carries about
 * eight 125-register reads a second, and room temperatures move over minutes: polling more often
 * than once a second only loads the devices (0s was a busy loop).
 */
export const MIN_POLL_INTERVAL = '1s';
/** Shorter than a loopback round trip under load: every request would time out. */
const MIN_DEVICE_TIMEOUT = '10ms';

export const SnmpConnection = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'agent address' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 161 }),
    version: Type.Union([Type.Literal('1'), Type.Literal('2c'), Type.Literal('3')], {
      default: '2c',
      description: 'SNMP version: "1", "2c" or "3" (quote it in YAML)',
    }),
    community: Type.Optional(SecretValue),
    user: Type.Optional(Type.String({ minLength: 1, description: 'SNMPv3 user name' })),
    security_level: Type.Optional(
      Type.Union([Type.Literal('noAuthNoPriv'), Type.Literal('authNoPriv'), Type.Literal('authPriv')], {
        description: 'SNMPv3 security level: noAuthNoPriv, authNoPriv or authPriv',
      }),
    ),
    auth_protocol: Type.Optional(
      Type.Union(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'].map((p) => Type.Literal(p)), {
        description: 'SNMPv3 authentication protocol: md5, sha, sha224, sha256, sha384 or sha512',
      }),
    ),
    auth_key: Type.Optional(SecretValue),
    priv_protocol: Type.Optional(
      Type.Union(['des', 'aes', 'aes256b', 'aes256r'].map((p) => Type.Literal(p)), {
        description: 'SNMPv3 privacy protocol: des, aes (AES-128), aes256b (Blumenthal) or aes256r (Reeder)',
      }),
    ),
    priv_key: Type.Optional(SecretValue),
    context: Type.Optional(Type.String()),
    timeout: Type.Optional(DurationAtLeast(MIN_DEVICE_TIMEOUT, { meaning: 'how long to wait for each answer' })),
    retries: Type.Integer({ minimum: 0, maximum: 10, default: 1 }),
    max_concurrency: Type.Integer({ minimum: 1, maximum: 64, default: 4, description: 'requests in flight to this agent at once' }),
    max_oids_per_request: Type.Integer({ minimum: 1, maximum: 128, default: 16 }),
    max_repetitions: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'GETBULK max-repetitions for table walks' }),
  },
  strict,
);

const SerialSettings = {
  serial_path: Type.Optional(Type.String({ minLength: 1, description: 'serial device, e.g. /dev/ttyUSB0' })),
  baud_rate: Type.Integer({ minimum: 300, maximum: 921600, default: 9600 }),
  parity: Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')], { default: 'none', description: 'none, even or odd' }),
  data_bits: Type.Union([Type.Literal(7), Type.Literal(8)], { default: 8, description: '7 or 8' }),
  stop_bits: Type.Union([Type.Literal(1), Type.Literal(2)], { default: 1, description: '1 or 2' }),
};
const Transport = Type.Union([Type.Literal('tcp'), Type.Literal('rtu'), Type.Literal('rtu-over-tcp')], {
  description: 'tcp (Modbus TCP), rtu (serial line) or rtu-over-tcp (serial gateway)',
});

/** A shared line: an RS-485 bus or a serial gateway. Devices on it are polled one frame at a time. */
export const ModbusBus = Type.Object(
  {
    id: Identifier,
    transport: Transport,
    host: Type.Optional(Type.String({ minLength: 1 })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    ...SerialSettings,
    inter_frame_delay: Type.Optional(Duration),
  },
  strict,
);

export const ModbusConnection = Type.Object(
  {
    bus: Type.Optional(Identifier),
    transport: Type.Optional(Transport),
    host: Type.Optional(Type.String({ minLength: 1 })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    ...SerialSettings,
    inter_frame_delay: Type.Optional(Duration),
    unit_id: Type.Integer({ minimum: 0, maximum: 255, default: 1 }),
    timeout: Type.Optional(DurationAtLeast(MIN_DEVICE_TIMEOUT, { meaning: 'how long to wait for each answer' })),
    retries: Type.Integer({ minimum: 0, maximum: 10, default: 1 }),
    max_gap: Type.Integer({ minimum: 0, maximum: 124, default: 8, description: 'unused registers a coalesced read may span' }),
    max_registers: Type.Integer({ minimum: 1, maximum: 125, default: 125, description: 'registers per read request' }),
  },
  strict,
);

export const Device = Type.Object(
  {
    id: Identifier,
    name: Type.Optional(Type.String({ description: 'display name (any language)' })),
    site: Identifier,
    room: Identifier,
    template: Identifier,
    interval: Type.Optional(DurationAtLeast(MIN_POLL_INTERVAL, { meaning: 'time between polls' })),
    enabled: Type.Boolean({ default: true }),
    labels: Type.Optional(Labels),
    snmp: Type.Optional(SnmpConnection),
    modbus: Type.Optional(ModbusConnection),
  },
  strict,
);
export type DeviceInput = Static<typeof Device>;

const Room = Type.Object({ id: Identifier, name: Type.Optional(Type.String()), labels: Type.Optional(Labels) }, strict);
const Site = Type.Object(
  { id: Identifier, name: Type.Optional(Type.String()), labels: Type.Optional(Labels), rooms: Type.Array(Room, { minItems: 1 }) },
  strict,
);

export const MainConfig = Type.Object(
  {
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
      },
      { ...strict, default: {} },
    ),
    templates: Type.Array(Type.String(), { default: [], description: 'extra template directories, relative to this file' }),
    device_files: Type.Array(Type.String(), { default: [], description: 'device files or directories of them, relative to this file' }),
    sites: Type.Array(Site, { default: [] }),
    buses: Type.Array(ModbusBus, { default: [] }),
    devices: Type.Array(Device, { default: [] }),
  },
  strict,
);
export type MainConfigInput = Static<typeof MainConfig>;

export const DeviceFile = Type.Object({ buses: Type.Array(ModbusBus, { default: [] }), devices: Type.Array(Device, { default: [] }) }, strict);

