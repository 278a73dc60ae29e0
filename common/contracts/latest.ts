/** What the daemon last heard from each device (collector/latest.ts keeps it, the API shows it). */

/** A device's latest known value of one point (one measurement, field and point tags). */
export interface LatestReading {
  measurement: string;
  field: string;
  /** The point's own tags (phase, sensor), without the device's identity and labels. */
  tags?: Record<string, string>;
  /** null: the device answered but had no usable value. */
  value: number | string | null;
  unit?: string;
  /** Start of the poll that read it (wall clock, as stored in InfluxDB). */
  at: number;
}

export type DeviceState = 'up' | 'down' | 'unknown';

/** What the daemon last heard from one device. */
export interface DeviceLatest {
  status: DeviceState;
  lastPollAt?: number;
  lastOkAt?: number;
  lastError?: string;
  pollDurationMs?: number;
  readings: LatestReading[];
}
