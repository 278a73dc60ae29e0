import type { Reading } from '../common/contracts/reading.js';
import { ALERT_STATUS_MEASUREMENT, NAME_TAGS } from '../common/contracts/stored.js';
import type { Alert } from './alerts.js';
import { SEVERITIES, type Severity } from './core/rule.js';

/** The configured places: every room gets its rows, quiet or not. */
export interface StatusPlaces {
  sites: readonly { id: string; name?: string; rooms: readonly { id: string; name?: string }[] }[];
  /** Where each configured device is, for alerts journaled before they recorded their place. */
  devices: readonly { id: string; site: string; room: string }[];
}

/**
 * Active alerts as `alert_status` readings at `time`: per configured room and severity, how many
 * are active and how many of those nobody has acknowledged, zeros included, so a quiet room reads
 * 0 and not "No data". An alert counts in the room it opened in (its place), else its device's
 * room; alerts of roomwatch itself, and of rooms no longer configured, count nowhere.
 */
export function alertStatusReadings(active: readonly Alert[], places: StatusPlaces, time: number): Reading[] {
  const counts = new Map<string, { active: number; unacknowledged: number }>();
  const deviceRoom = new Map(places.devices.map((d) => [d.id, `${d.site}/${d.room}`]));
  for (const alert of active) {
    const room = alert.place ? `${alert.place.site}/${alert.place.room}` : deviceRoom.get(alert.device);
    if (room === undefined) continue;
    const key = `${room}|${alert.severity}`;
    const count = counts.get(key) ?? { active: 0, unacknowledged: 0 };
    count.active += 1;
    if (alert.status === 'firing') count.unacknowledged += 1;
    counts.set(key, count);
  }
  const readings: Reading[] = [];
  for (const site of places.sites) {
    for (const room of site.rooms) {
      for (const severity of SEVERITIES) {
        const count = counts.get(`${site.id}/${room.id}|${severity}`);
        const tags = statusTags(site, room, severity);
        const base = { measurement: ALERT_STATUS_MEASUREMENT, tags, source: 'roomwatch', time, unit: 'count' };
        readings.push({ ...base, field: 'active', value: count?.active ?? 0 }, { ...base, field: 'unacknowledged', value: count?.unacknowledged ?? 0 });
      }
    }
  }
  return readings;
}

function statusTags(site: StatusPlaces['sites'][number], room: StatusPlaces['sites'][number]['rooms'][number], severity: Severity): Record<string, string> {
  return { site: site.id, room: room.id, [NAME_TAGS.site]: site.name ?? site.id, [NAME_TAGS.room]: room.name ?? room.id, severity };
}
