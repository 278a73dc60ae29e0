import { findSecrets, SecretScrubber } from '../../common/config/secret.js';
import type { DeviceSpec } from '../../common/contracts/device.js';
import type { DeviceReader, DeviceReadout } from './driver-runtime.js';

/**
 * Wraps any driver's reader so that its errors leave it scrubbed of secrets: they become log
 * lines, `device_health.error` values and probe output. Without a shared scrubber it removes the
 * device's own secrets.
 */
export function scrubbedReader(inner: DeviceReader, device: DeviceSpec, scrubber?: SecretScrubber): DeviceReader {
  return new ScrubbedReader(inner, scrubber ?? new SecretScrubber(findSecrets(device)));
}

class ScrubbedReader implements DeviceReader {
  constructor(private readonly inner: DeviceReader, private readonly scrubber: SecretScrubber) {}

  async read(time: number): Promise<DeviceReadout> {
    let readout: DeviceReadout;
    try {
      readout = await this.inner.read(time);
    } catch (error) {
      throw new Error(this.scrubber.scrub(error instanceof Error ? error.message : String(error)));
    }
    for (const reading of readout.readings) if (reading.reason) reading.reason = this.scrubber.scrub(reading.reason);
    return readout;
  }

  close(): void {
    this.inner.close();
  }
}
