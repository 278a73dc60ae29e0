import { FAULT_STATS_FIELDS, type FaultStatsField } from '../../common/contracts/stored.js';
import { faultsFrom, indexEvents, type EventRow, type Fault } from './faults.js';
import { addDays, compareDates, formatDate, localDateAt, startOfDay, type LocalDate } from './period.js';
import { addFault, emptyTally, type FaultLimits, type Tally } from './tally.js';

/** One fault_stats point (common/contracts/stored.ts): a local day of one group's faults. */
export interface FaultStatsPoint {
  /** Local midnight of the day, ms. */
  time: number;
  tags: { category: string; severity: string; site: string; room: string; site_name: string; room_name: string; device_type: string };
  fields: Record<FaultStatsField, number>;
}

/**
 * The fault_stats points of the given local days: one per (category, severity, site, room,
 * device_type) that had faults opened that day. `rows` must hold the openings of those days and
 * the acknowledgements and resolutions since.
 */
export function dailyStats(rows: readonly EventRow[], days: readonly LocalDate[], timeZone: string, limits: FaultLimits): FaultStatsPoint[] {
  const points: FaultStatsPoint[] = [];
  const index = indexEvents(rows);
  for (const day of days) {
    const from = startOfDay(day, timeZone);
    const groups = new Map<string, { tags: FaultStatsPoint['tags']; tally: Tally }>();
    for (const f of faultsFrom(index, from, startOfDay(addDays(day, 1), timeZone))) {
      const key = [f.category, f.severity, f.site, f.room, f.deviceType].join('\u0000');
      const group = groups.get(key) ?? groups.set(key, { tags: tagsOf(f), tally: emptyTally() }).get(key)!;
      group.tags = tagsOf(f);
      addFault(group.tally, f, limits);
    }
    for (const { tags, tally } of groups.values()) {
      const fields = Object.fromEntries(FAULT_STATS_FIELDS.map((name) => [name, tally[name]])) as Record<FaultStatsField, number>;
      points.push({ time: from, tags, fields });
    }
  }
  return points;
}

function tagsOf(f: Fault): FaultStatsPoint['tags'] {
  return { category: f.category, severity: f.severity, site: f.site, room: f.room, site_name: f.siteName, room_name: f.roomName, device_type: f.deviceType };
}

/**
 * The local days whose figures can still change at `now`: today and yesterday (faults still
 * opening), and the opening days of faults acknowledged or resolved since `sinceMs` (found from
 * the row's ack_after_s / duration_s), at most `maxDaysBack` days back.
 */
export function daysToRecompute(rows: readonly (EventRow & { ack_after_s?: number | null; duration_s?: number | null })[], sinceMs: number, nowMs: number, timeZone: string, maxDaysBack: number): LocalDate[] {
  const today = localDateAt(nowMs, timeZone);
  const oldest = addDays(today, -maxDaysBack);
  const days = new Map<string, LocalDate>();
  const add = (d: LocalDate) => {
    if (compareDates(d, oldest) >= 0 && compareDates(d, today) <= 0) days.set(formatDate(d), d);
  };
  add(today);
  add(addDays(today, -1));
  for (const row of rows) {
    if (row.time < sinceMs) continue;
    const seconds = row.event === 'acknowledged' ? row.ack_after_s : row.event === 'resolved' ? row.duration_s : undefined;
    if (typeof seconds !== 'number') continue;
    const opened = localDateAt(row.time - seconds * 1000, timeZone);
    add(opened);
    // A member's own opening may fall after its incident's, across a midnight.
    if (row.fault === 'member') add(addDays(opened, -1));
  }
  return [...days.values()].sort(compareDates);
}
