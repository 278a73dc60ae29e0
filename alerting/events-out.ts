import { createHash } from 'node:crypto';
import type { AlertEventRecord } from '../common/contracts/alert-event.js';
import type { FaultCategory } from '../common/contracts/template-rule.js';
import type { AlertEvent } from './alerts.js';
import type { Incident } from './incidents/incident.js';
import type { DeviceInfo } from './notify/directory.js';
import { COMMS_RULES } from './pipeline/stages/inhibit.js';
import { SELF_DEVICE } from './self/rules.js';


// Tag keys and field keys this record sets itself: a site, room, device or alert label of the
// same name is written as `label_<name>` rather than replacing ours (or shadowing a field, which
// makes InfluxQL need `::tag`).
const OWN_KEYS = new Set([
  'site', 'room', 'device', 'device_type', 'rule', 'severity', 'category', 'event', 'fault', 'incident',
  'site_name', 'room_name', 'device_name', 'alert_id', 'value', 'duration_s', 'ack_after_s', 'ack_by', 'members', 'time',
]);
// The device's identity tags are in its labels too (DeviceSpec.tags) with the same values.
const IDENTITY = new Set(['site', 'room', 'device', 'device_type']);
const POWER_TEMPLATES = new Set(['ups', 'power_meter']);

/**
 * The fault category of an alert. Until templates declare one per rule, it follows what the device
 * is (template category) and the built-in rules: roomwatch's own alerts, then a device not
 * answering or not updating (communication), then power devices (UPS, meters) and the rest
 * (CRAC, environment, leak: cooling and environment).
 */
export function faultCategory(rule: string, device: string, templateCategory: string): FaultCategory {
  if (device === SELF_DEVICE) return 'roomwatch';
  if (COMMS_RULES.has(rule)) return 'communication';
  return POWER_TEMPLATES.has(templateCategory) ? 'power' : 'environment';
}

/**
 * Nanoseconds inside the event's millisecond, from the alert id and event kind: distinct events
 * differ here (or in their series), and the same event built again gets the same value.
 */
export function eventSubMs(alertId: string, kind: string): number {
  const digest = createHash('sha256').update(`${alertId}|${kind}`).digest();
  return digest.readUInt32BE(0) % 1_000_000;
}

/**
 * Whether a row is a fault of its own: an incident's own row, an alert in an incident (a member,
 * not counted again), or an alert alone. Faults = opened rows whose fault is not `member`.
 */
export type Fault = { fault: 'single' } | { fault: 'member'; incident: string };

/**
 * An alert event as one `alert_events` record (Grafana annotations, fault statistics): where and
 * what as tags (every site, room, device and alert label among them, so three phases are three
 * series), the alert id, value, and how long it lasted or took to acknowledge as fields.
 * `toWall` turns the event's steady time into the date stored.
 */
export function alertEventRecord(event: AlertEvent, info: DeviceInfo, toWall: (steady: number) => number, fault: Fault = { fault: 'single' }): AlertEventRecord {
  const a = event.alert;
  const tags: Record<string, string> = {};
  const place = (key: string, value: string) => (tags[OWN_KEYS.has(key) ? `label_${key}` : key] = value);
  for (const [key, value] of Object.entries(info.labels)) if (!IDENTITY.has(key)) place(key, value);
  for (const [key, value] of Object.entries(a.labels)) place(key, value);
  Object.assign(tags, {
    site: info.site, room: info.room, device: a.device, device_type: info.deviceType, rule: a.rule, severity: a.severity,
    // Its rule's category (a CRAC's own alarms are cooling); guessed only for alerts journaled before rules had one.
    category: a.category ?? faultCategory(a.rule, a.device, info.category), event: event.kind,
    site_name: info.siteName, room_name: info.roomName, device_name: info.name, ...fault,
  });
  const fields: Record<string, number | string> = { alert_id: a.id };
  // Numbers only: a field is one type per shard, and text values (states) go in their own field.
  if (typeof a.value === 'number') fields.value = a.value;
  if (event.kind === 'resolved' && a.resolvedAt) fields.duration_s = Math.round((a.resolvedAt - a.firingSince) / 1000);
  if (event.kind === 'acknowledged' && a.ack) {
    fields.ack_after_s = Math.round((a.ack.at - a.firingSince) / 1000);
    fields.ack_by = a.ack.by;
  }
  return { time: Math.round(toWall(event.at)), subMs: eventSubMs(a.id, event.kind), tags, fields };
}

/**
 * An incident's opening or resolution as one `alert_events` row (fault=incident): where its first
 * alert is (`device`), `rule` its type, its id as `alert_id` (so the fault count counts it), and how many
 * alerts it holds.
 */
export function incidentEventRecord(incident: Incident, kind: 'opened' | 'resolved', device: string, info: DeviceInfo, toWall: (steady: number) => number): AlertEventRecord {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(info.labels)) if (!IDENTITY.has(key)) tags[OWN_KEYS.has(key) ? `label_${key}` : key] = value;
  Object.assign(tags, {
    site: info.site, room: info.room, device, device_type: info.deviceType, rule: incident.type, severity: incident.severity,
    category: incident.category, event: kind, fault: 'incident', incident: incident.id,
    site_name: info.siteName, room_name: info.roomName, device_name: info.name,
  });
  const fields: Record<string, number | string> = { alert_id: incident.id, members: incident.members.length };
  const at = kind === 'opened' ? incident.openedAt : (incident.resolvedAt ?? incident.openedAt);
  if (kind === 'resolved' && incident.resolvedAt !== undefined) fields.duration_s = Math.round((incident.resolvedAt - incident.openedAt) / 1000);
  return { time: Math.round(toWall(at)), subMs: eventSubMs(incident.id, kind), tags, fields };
}
