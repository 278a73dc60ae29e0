/** Measurement alert events are stored in (retention policy `events`, see the README). */
export const ALERT_EVENTS_MEASUREMENT = 'alert_events';

/**
 * One alert event on its way to InfluxDB: alerting builds it (alerting/events-out.ts), the sink
 * writes it into the events retention policy (collector/sink/influx.ts). Kept apart from readings
 * because events must never overwrite each other nor be downsampled, and readings may.
 */
export interface AlertEventRecord {
  /** Wall time of the event, milliseconds since the epoch. */
  time: number;
  /**
   * Nanoseconds inside that millisecond (0–999,999), derived from the alert id and event kind:
   * two different events of one series in the same millisecond get different timestamps, and the
   * same event written twice (spool replay after a crash) gets the same one, so it overwrites itself.
   */
  subMs: number;
  tags: Record<string, string>;
  fields: Record<string, number | string>;
}
