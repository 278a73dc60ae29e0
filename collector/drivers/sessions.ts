import type { DeviceSpec } from '../../common/contracts/device.js';
import type { DeviceReader, DriverSession, SessionOptions } from './driver-runtime.js';
import { DRIVERS } from './registry.js';

/** One session per registered driver, used as one: readers for any device, one close. */
export interface DriverSessions {
  /** A reader from the session of the device's template driver (looked up once per device). */
  reader(device: DeviceSpec): DeviceReader;
  /** Every driver's unusable replies per peer since open (today only SNMP counts them). */
  unusableReplies(): Record<string, number>;
  close(): Promise<void>;
}

export function openDriverSessions(options: SessionOptions): DriverSessions {
  const sessions = new Map<string, DriverSession>(DRIVERS.map((driver) => [driver.id, driver.open(options)]));
  return {
    reader(device) {
      const session = sessions.get(device.template.driver);
      if (!session) throw new Error(`device "${device.id}": no driver "${device.template.driver}"`);
      return session.reader(device);
    },
    unusableReplies: () => Object.assign({}, ...[...sessions.values()].map((s) => s.unusableReplies?.() ?? {})) as Record<string, number>,
    close: async () => {
      await Promise.all([...sessions.values()].map((s) => s.close()));
    },
  };
}
