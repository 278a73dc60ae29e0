/**
 * Faults out of alert_events rows: an alert on its own (fault=single, or no `fault` tag on rows
 * of versions before incidents) or an incident (fault=incident) is one fault; an alert folded into
 * an incident (fault=member) is not counted again, but its acknowledgement is the incident's.
 */

export const FAULT_CATEGORIES = ['power', 'cooling', 'environment', 'communication', 'roomwatch'] as const;
export const FAULT_SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof FAULT_SEVERITIES)[number];

/** One alert_events row as read back (tags are strings; a tag or field the row lacks is absent or null). */
export interface EventRow {
  time: number;
  event?: string | null;
  fault?: string | null;
  incident?: string | null;
  alert_id?: string | null;
  category?: string | null;
  severity?: string | null;
  site?: string | null;
  room?: string | null;
  device?: string | null;
  device_type?: string | null;
  site_name?: string | null;
  room_name?: string | null;
  device_name?: string | null;
  members?: number | null;
  reason?: string | null;
}

export interface Fault extends DeviceRef {
  id: string;
  incident: boolean;
  /** Alerts folded into it (incidents); 0 for an alert on its own. */
  members: number;
  openedAt: number;
  /** First acknowledgement (for an incident: of any of its alerts). */
  acknowledgedAt?: number;
  /** Resolution; a device removed from the configuration is no repair and leaves it unresolved. */
  resolvedAt?: number;
  category: string;
  severity: string;
  deviceType: string;
}

const text = (value: string | null | undefined, fallback: string) => (value === null || value === undefined || value === '' ? fallback : value);

/**
 * The rows sorted once for many periods: openings and flapping apart, and each fault's
 * acknowledgements and resolutions under its id, so a period reads its own faults' follow-ups
 * instead of every row again. Row order is kept within each list (the last resolution wins).
 */
export interface EventIndex {
  openings: readonly EventRow[];
  flapping: readonly EventRow[];
  followUps: ReadonlyMap<string, readonly EventRow[]>;
}

export function indexEvents(rows: readonly EventRow[]): EventIndex {
  const openings: EventRow[] = [];
  const flapping: EventRow[] = [];
  const followUps = new Map<string, EventRow[]>();
  for (const row of rows) {
    const event = row.event;
    if (event === 'opened') openings.push(row);
    else if (event === 'flapping') flapping.push(row);
    else if (event === 'acknowledged' || event === 'resolved') {
      // A member's acknowledgement is its incident's (the incident itself writes no such row).
      const id = event === 'acknowledged' && row.fault === 'member' && row.incident ? row.incident : text(row.alert_id, '');
      if (!id) continue;
      const list = followUps.get(id);
      if (list) list.push(row);
      else followUps.set(id, [row]);
    }
  }
  return { openings, flapping, followUps };
}

const isIndex = (rows: readonly EventRow[] | EventIndex): rows is EventIndex => !Array.isArray(rows);

/**
 * The faults opened in [fromMs, toMs), with the acknowledgements and resolutions among `rows`
 * (which may reach past `toMs`: a fault opened in the period and resolved after it counts with its
 * times). Rows outside the period that are openings are ignored. Pass an EventIndex when asking
 * for several periods of the same rows.
 */
export function faultsFrom(rows: readonly EventRow[] | EventIndex, fromMs: number, toMs: number): Fault[] {
  const index = isIndex(rows) ? rows : indexEvents(rows);
  const faults = new Map<string, Fault>();
  const memberIds = new Map<string, Set<string>>();
  for (const row of index.openings) {
    if (row.time < fromMs || row.time >= toMs) continue;
    const id = text(row.alert_id, '');
    if (!id) continue;
    if (row.fault === 'member') {
      if (row.incident) (memberIds.get(row.incident) ?? memberIds.set(row.incident, new Set()).get(row.incident)!).add(id);
      continue;
    }
    // The same opening read twice (overlapping queries) is one fault.
    if (faults.has(id)) continue;
    const site = text(row.site, '');
    const room = text(row.room, '');
    const device = text(row.device, '');
    faults.set(id, {
      id,
      incident: row.fault === 'incident',
      members: row.fault === 'incident' ? (row.members ?? 0) : 0,
      openedAt: row.time,
      category: text(row.category, 'unknown'),
      severity: text(row.severity, 'unknown'),
      deviceType: text(row.device_type, ''),
      site,
      room,
      device,
      siteName: text(row.site_name, site),
      roomName: text(row.room_name, room),
      deviceName: text(row.device_name, device),
    });
  }
  for (const fault of faults.values()) {
    for (const row of index.followUps.get(fault.id) ?? []) {
      if (row.event === 'acknowledged') {
        if (row.time >= fault.openedAt && (fault.acknowledgedAt === undefined || row.time < fault.acknowledgedAt)) fault.acknowledgedAt = row.time;
        continue;
      }
      if (row.time < fault.openedAt || row.reason === 'removed') continue;
      if (fault.incident && row.fault !== 'incident') continue;
      fault.resolvedAt = row.time;
      if (fault.incident && row.members) fault.members = Math.max(fault.members, row.members);
    }
  }
  for (const [incident, ids] of memberIds) {
    const fault = faults.get(incident);
    if (fault) fault.members = Math.max(fault.members, ids.size);
  }
  return [...faults.values()].sort((a, b) => a.openedAt - b.openedAt);
}

export interface DeviceRef {
  site: string;
  room: string;
  device: string;
  siteName: string;
  roomName: string;
  deviceName: string;
}

/** Flapping rows per device in [fromMs, toMs), keyed by deviceKey. */
export function flappingFrom(rows: readonly EventRow[] | EventIndex, fromMs: number, toMs: number): Map<string, { count: number; device: DeviceRef }> {
  const counts = new Map<string, { count: number; device: DeviceRef }>();
  for (const row of isIndex(rows) ? rows.flapping : rows) {
    if (row.event !== 'flapping' || row.time < fromMs || row.time >= toMs) continue;
    const device = deviceRef(row);
    const key = deviceKey(device.site, device.room, device.device);
    const entry = counts.get(key) ?? counts.set(key, { count: 0, device }).get(key)!;
    entry.count++;
  }
  return counts;
}

function deviceRef(row: EventRow): DeviceRef {
  const site = text(row.site, '');
  const room = text(row.room, '');
  const device = text(row.device, '');
  return { site, room, device, siteName: text(row.site_name, site), roomName: text(row.room_name, room), deviceName: text(row.device_name, device) };
}

export const deviceKey = (site: string, room: string, device: string) => `${site}/${room}/${device}`;
