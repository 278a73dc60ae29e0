import { Type, type Static } from '@sinclair/typebox';
import { Duration, DurationAtLeast, Identifier, Labels, SecretValue } from '../../common/config/primitives.js';

/**
 * JSON Schemas of devices and their connections, shared by the main config file and device files.
 * Every key carries a description (shown in errors and docs) and defaults live here, not in code.
 * additionalProperties is false everywhere so a misspelt key is an error, not an ignored setting.
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

export type BusInput = Static<typeof ModbusBus>;

/**
 * The device lists a config file may hold, in the order they are written: the main file spreads
 * them after "sites" (so its "expected one of" keys keep their order), device files hold only them.
 */
export const DEVICE_COLLECTIONS = {
  buses: Type.Array(ModbusBus, { default: [] }),
  devices: Type.Array(Device, { default: [] }),
};

export const DeviceFile = Type.Object({ ...DEVICE_COLLECTIONS }, strict);

