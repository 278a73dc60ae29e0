import { HEALTH_MEASUREMENT, type PollOutcome } from '../common/contracts/poll.js';
import type { Reading } from '../common/contracts/reading.js';

/**
 * The device's own health as readings, stored and evaluated like any other point:
 * `comms` 1 = answering, 0 = down; poll duration; how many points had a value.
 */
export function healthReadings(outcome: PollOutcome): Reading[] {
  const tags = outcome.device.tags;
  const base = { measurement: HEALTH_MEASUREMENT, tags, time: outcome.time, source: 'roomwatch' };
  const withValue = outcome.readings.filter((r) => r.value !== null).length;
  const readings: Reading[] = [
    { ...base, field: 'comms', value: outcome.ok ? 1 : 0, unit: 'bool' },
    { ...base, field: 'poll_duration_ms', value: Math.round(outcome.durationMs * 10) / 10, unit: 'ms' },
    { ...base, field: 'points_read', value: withValue, unit: 'count' },
    { ...base, field: 'points_missing', value: outcome.readings.length - withValue, unit: 'count' },
  ];
  if (outcome.error) readings.push({ ...base, field: 'error', value: outcome.error.slice(0, 200) });
  return readings;
}
