import type { DeviceSpec } from './device.js';
import type { Reading } from './reading.js';

/** The measurement holding each device's own health (comms, poll duration, points read). */
export const HEALTH_MEASUREMENT = 'device_health';

/** One poll of one device, as the scheduler hands it to the sink and to alerting. */
export interface PollOutcome {
  device: DeviceSpec;
  time: number;
  durationMs: number;
  ok: boolean;
  error?: string;
  readings: Reading[];
}
