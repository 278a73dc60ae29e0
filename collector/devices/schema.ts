import { Type, type Static, type TArray, type TObject, type TOptional } from '@sinclair/typebox';
import { DurationAtLeast, Identifier, Labels } from '../../common/config/primitives.js';
import { DRIVERS, type DriverId } from '../drivers/registry.js';

/**
 * JSON Schemas of devices, shared by the main config file and device files. Each driver brings
 * its connection section and any top-level lists (collector/drivers/<id>/connection-schema.ts).
 * Every key carries a description (shown in errors and docs) and defaults live in the schemas.
 * additionalProperties is false everywhere so a misspelt key is an error, not an ignored setting.
 */

const strict = { additionalProperties: false } as const;

/**
 * A device answers in tens to hundreds of milliseconds, an RS-485 line at 9600 baud carries about
 * eight 125-register reads a second, and room temperatures move over minutes: polling more often
 * than once a second only loads the devices (0s was a busy loop).
 */
export const MIN_POLL_INTERVAL = '1s';

/** One optional section per driver, keyed by its id, in registry order (the "expected one of" order). */
const driverSections = Object.fromEntries(DRIVERS.map((driver) => [driver.id, Type.Optional(driver.connection)])) as Record<DriverId, TOptional<TObject>>;

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
    ...driverSections,
  },
  strict,
);
export type DeviceInput = Static<typeof Device>;

/** The top-level lists the drivers own (Modbus `buses`), by key, in registry order. */
export const DRIVER_COLLECTIONS = Object.assign({}, ...DRIVERS.map((driver) => driver.collections ?? {})) as Readonly<Record<string, TArray>>;

/**
 * The device lists a config file may hold, in the order they are written: the main file spreads
 * them after "sites" (so its "expected one of" keys keep their order), device files hold only them.
 */
export const DEVICE_COLLECTIONS = {
  ...DRIVER_COLLECTIONS,
  devices: Type.Array(Device, { default: [] }),
};

export const DeviceFile = Type.Object({ ...DEVICE_COLLECTIONS }, strict);
