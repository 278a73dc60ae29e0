import { Type, type Static } from '@sinclair/typebox';
import { Duration, DurationAtLeast, Identifier } from '../../../common/config/primitives.js';
import { MIN_DEVICE_TIMEOUT } from '../driver-config.js';

const strict = { additionalProperties: false } as const;

const SerialSettings = {
  serial_path: Type.Optional(Type.String({ minLength: 1, description: 'serial device, e.g. /dev/ttyUSB0' })),
  baud_rate: Type.Integer({ minimum: 300, maximum: 921600, default: 9600 }),
  parity: Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')], { default: 'none', description: 'none, even or odd' }),
  data_bits: Type.Union([Type.Literal(7), Type.Literal(8)], { default: 8, description: '7 or 8' }),
  stop_bits: Type.Union([Type.Literal(1), Type.Literal(2)], { default: 1, description: '1 or 2' }),
};
// Defaults that depend on the transport, so compileLine sets them rather than the schema. They are
// noted in $comment, not in the description: the description is quoted in every error message.
const Port = Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, $comment: 'defaults to 502 for tcp and rtu-over-tcp (set in compile)' }));
const InterFrameDelay = Type.Optional(Type.String({ pattern: Duration.pattern, description: Duration.description, $comment: 'defaults to 0 for tcp and 5ms for rtu and rtu-over-tcp (set in compile)' }));
const Transport = Type.Union([Type.Literal('tcp'), Type.Literal('rtu'), Type.Literal('rtu-over-tcp')], {
  description: 'tcp (Modbus TCP), rtu (serial line) or rtu-over-tcp (serial gateway)',
});

/** A shared line: an RS-485 bus or a serial gateway. Devices on it are polled one frame at a time. */
export const ModbusBus = Type.Object(
  {
    id: Identifier,
    transport: Transport,
    host: Type.Optional(Type.String({ minLength: 1 })),
    port: Port,
    ...SerialSettings,
    inter_frame_delay: InterFrameDelay,
  },
  strict,
);
export type BusInput = Static<typeof ModbusBus>;

/** A device's `modbus:` section: its own line, or a `bus` shared with other devices. */
export const ModbusConnection = Type.Object(
  {
    bus: Type.Optional(Identifier),
    transport: Type.Optional(Transport),
    host: Type.Optional(Type.String({ minLength: 1 })),
    port: Port,
    ...SerialSettings,
    inter_frame_delay: InterFrameDelay,
    unit_id: Type.Integer({ minimum: 0, maximum: 255, default: 1 }),
    timeout: DurationAtLeast(MIN_DEVICE_TIMEOUT, { default: '1s', meaning: 'how long to wait for each answer' }),
    retries: Type.Integer({ minimum: 0, maximum: 10, default: 1 }),
    max_gap: Type.Integer({ minimum: 0, maximum: 124, default: 8, description: 'unused registers a coalesced read may span' }),
    max_registers: Type.Integer({ minimum: 1, maximum: 125, default: 125, description: 'registers per read request' }),
  },
  strict,
);
export type ModbusConnectionInput = Static<typeof ModbusConnection>;

/** The top-level lists Modbus adds to config files. */
export const MODBUS_COLLECTIONS = { buses: Type.Array(ModbusBus, { default: [] }) };
