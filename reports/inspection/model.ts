import type { DeviceSpec, StateName } from '../../common/contracts/device.js';
import type { Row } from '../influx-query.js';
import type { GatheredDay } from './gather.js';
import { pointTags, roomName, siteName, statePoints, statPoints, type InspectionSetup, type Limits, type StatPoint } from './plan.js';
import { alertEntries, type AlertEntry } from './alerts.js';

export interface Stat {
  min: number;
  mean: number;
  max: number;
  first: number;
  last: number;
}

/** ok, near a limit, past the first (warning) limit, past the outermost one. */
export type Level = 'ok' | 'near' | 'warn' | 'alarm' | 'nodata';

export interface Measured {
  field: string;
  tags: Readonly<Record<string, string>>;
  unit?: string;
  stat?: Stat;
  warn: Limits;
  alarm: Limits;
  level: Level;
  /** The limit it came near or crossed, and the day's extreme that did. */
  closest?: { limit: number; value: number; side: 'above' | 'below' };
  trend: Array<[number, number]>;
}

export interface StateReport {
  field: string;
  description?: string;
  states: Readonly<Record<string, StateName>>;
  last?: number;
  seen: number[];
  /** A state a rule alerts on was seen during the day. */
  alarmed: boolean;
}

export interface DownSpan {
  from: number;
  to: number;
}

export interface DeviceReport {
  id: string;
  name: string;
  category: string;
  measured: Measured[];
  states: StateReport[];
  down: DownSpan[];
  /** Nothing stored at all that day: not polled (daemon stopped) or not yet configured. */
  silent: boolean;
  energyKWh?: number;
}

export interface RoomReport {
  site: string;
  siteName: string;
  room: string;
  roomName: string;
  devices: DeviceReport[];
}

export interface InspectionReport {
  date: string;
  timezone: string;
  start: number;
  end: number;
  generatedAt: number;
  nearThreshold: number;
  rooms: RoomReport[];
  alerts: AlertEntry[];
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const matches = (row: Row, device: DeviceSpec, tags: Readonly<Record<string, string>>) =>
  row.device === device.id && Object.entries(tags).every(([k, v]) => row[k] === v);

/** The report of one day, from what was gathered; pure. */
export function buildReport(setup: InspectionSetup, day: GatheredDay, generatedAt: number): InspectionReport {
  const rooms: RoomReport[] = [];
  for (const site of setup.sites) {
    for (const room of site.rooms) {
      const devices = setup.devices.filter((d) => d.site === site.id && d.room === room.id).map((d) => deviceReport(setup, day, d));
      if (devices.length) rooms.push({ site: site.id, siteName: siteName(setup, site.id), room: room.id, roomName: roomName(setup, site.id, room.id), devices });
    }
  }
  const names = (id: string) => setup.devices.find((d) => d.id === id)?.name;
  return { date: day.date, timezone: setup.timezone, start: day.start, end: day.end, generatedAt, nearThreshold: setup.nearThreshold, rooms, alerts: alertEntries(day, names) };
}

function deviceReport(setup: InspectionSetup, day: GatheredDay, device: DeviceSpec): DeviceReport {
  const measured = statPoints(device).map((p) => measure(setup, day, device, p));
  const energy = measured.find((m) => m.field === 'energy_import_active' && m.stat) ?? measured.find((m) => m.field === 'energy_total_active' && m.stat);
  const states = statePoints(device).map((p): StateReport => {
    const entry = day.states.get(`${p.measurement}|${p.field}`);
    const last = entry?.last.filter((r) => matches(r, device, p.tags)).map((r) => num(r.last)).find((v) => v !== undefined);
    const seen = [...new Set((entry?.seen ?? []).filter((r) => matches(r, device, p.tags)).flatMap((r) => num(r.value) ?? []))].sort((a, b) => a - b);
    return { field: p.field, description: p.description, states: p.states, last, seen, alarmed: seen.some((v) => p.alarming.includes(v)) };
  });
  const silent = measured.every((m) => !m.stat) && states.every((s) => s.last === undefined);
  return {
    id: device.id,
    name: device.name,
    category: device.template.category,
    measured: measured.filter((m) => !m.field.startsWith('energy_')),
    states,
    down: downSpans(day.down.filter((r) => r.device === device.id).flatMap((r) => num(r.time) ?? []), device.intervalMs, day.end),
    silent,
    energyKWh: energy?.stat && energy.stat.last - energy.stat.first,
  };
}

function measure(setup: InspectionSetup, day: GatheredDay, device: DeviceSpec, point: StatPoint): Measured {
  const rows = (day.stats.get(point.measurement) ?? []).filter((r) => matches(r, device, point.tags) && num(r[`${point.field}__mean`]) !== undefined);
  const f = (row: Row, fn: string) => num(row[`${point.field}__${fn}`])!;
  // Several series (the phases of a UPS): the extremes over all, the mean of the means; a meter's phase powers add up.
  const sum = point.field === 'power_active';
  const combine = (fn: string, pick: (values: number[]) => number) => pick(rows.map((r) => f(r, fn)));
  const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const stat: Stat | undefined = rows.length
    ? {
        min: combine('min', sum ? total : (v) => Math.min(...v)),
        max: combine('max', sum ? total : (v) => Math.max(...v)),
        mean: combine('mean', sum ? total : (v) => total(v) / v.length),
        first: combine('first', sum ? total : (v) => v[0]!),
        last: combine('last', sum ? total : (v) => v[0]!),
      }
    : undefined;
  const buckets = new Map<number, number[]>();
  for (const r of day.trends.get(point.measurement) ?? []) {
    const v = num(r[point.field]);
    const t = num(r.time);
    if (v === undefined || t === undefined || !matches(r, device, point.tags)) continue;
    (buckets.get(t) ?? buckets.set(t, []).get(t)!).push(v);
  }
  const trend = [...buckets].sort(([a], [b]) => a - b).map(([t, v]): [number, number] => [t, sum ? total(v) : Math.max(...v)]);
  const judged = judge(point, stat, setup.nearThreshold);
  return { field: point.field, tags: rowTagsOf(rows, device, point), unit: point.unit, stat, warn: point.warn, alarm: point.alarm, trend, ...judged };
}

/** Tags naming the series (sensor: return_air) when a single one was read; several phases stay unnamed. */
function rowTagsOf(rows: Row[], device: DeviceSpec, point: StatPoint): Record<string, string> {
  return rows.length === 1 ? pointTags(rows[0]!, device) : { ...point.tags };
}

/**
 * How close the day's extremes came to the point's first limits. "Near" is within `near` of the
 * distance between the limits (both sides) or of the limit itself (one side), inside the band.
 */
export function judge(point: Pick<StatPoint, 'warn' | 'alarm'>, stat: Stat | undefined, near: number): Pick<Measured, 'level' | 'closest'> {
  if (!stat) return { level: 'nodata' };
  const { above, below } = point.warn;
  const width = above !== undefined && below !== undefined ? above - below : undefined;
  const margin = (limit: number) => near * (width ?? Math.abs(limit));
  if (point.alarm.above !== undefined && stat.max > point.alarm.above) return { level: 'alarm', closest: { limit: point.alarm.above, value: stat.max, side: 'above' } };
  if (point.alarm.below !== undefined && stat.min < point.alarm.below) return { level: 'alarm', closest: { limit: point.alarm.below, value: stat.min, side: 'below' } };
  if (above !== undefined && stat.max > above) return { level: 'warn', closest: { limit: above, value: stat.max, side: 'above' } };
  if (below !== undefined && stat.min < below) return { level: 'warn', closest: { limit: below, value: stat.min, side: 'below' } };
  if (above !== undefined && stat.max >= above - margin(above)) return { level: 'near', closest: { limit: above, value: stat.max, side: 'above' } };
  if (below !== undefined && stat.min <= below + margin(below)) return { level: 'near', closest: { limit: below, value: stat.min, side: 'below' } };
  return { level: 'ok' };
}

/** Failed polls as spans: a gap of more than two intervals between failures starts a new span. */
export function downSpans(times: number[], intervalMs: number, dayEnd: number): DownSpan[] {
  const spans: DownSpan[] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    const last = spans.at(-1);
    if (last && t - (last.to - intervalMs) <= 2 * intervalMs) last.to = Math.min(t + intervalMs, dayEnd);
    else spans.push({ from: t, to: Math.min(t + intervalMs, dayEnd) });
  }
  return spans;
}
