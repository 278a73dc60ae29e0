import type { Reading } from '../common/contracts/reading.js';
import type { AlertEvent } from './alerts.js';
import type { DeviceInfo } from './notify/directory.js';

/**
 * An alert event as `alert_events` readings for InfluxDB (Grafana annotations, fault statistics):
 * the alert id always, the value, and how long it lasted or took to acknowledge where that applies.
 * `toWall` turns the event's steady time into the date stored.
 */
export function alertEventReadings(event: AlertEvent, info: DeviceInfo, toWall: (steady: number) => number): Reading[] {
  const a = event.alert;
  const tags = { site: info.site, room: info.room, device: a.device, device_type: info.deviceType, rule: a.rule, severity: a.severity, event: event.kind };
  const base = { measurement: 'alert_events', tags, time: toWall(event.at), source: 'alerting' };
  const readings: Reading[] = [{ ...base, field: 'alert_id', value: a.id }];
  if (typeof a.value === 'number') readings.push({ ...base, field: 'value', value: a.value });
  if (event.kind === 'resolved' && a.resolvedAt) readings.push({ ...base, field: 'duration_s', value: Math.round((a.resolvedAt - a.firingSince) / 1000) });
  if (event.kind === 'acknowledged' && a.ack) readings.push({ ...base, field: 'ack_after_s', value: Math.round((a.ack.at - a.firingSince) / 1000) }, { ...base, field: 'ack_by', value: a.ack.by });
  return readings;
}
