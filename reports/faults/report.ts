import { deviceKey, FAULT_CATEGORIES, FAULT_SEVERITIES, faultsFrom, flappingFrom, indexEvents, type DeviceRef, type EventIndex, type EventRow, type Fault } from './faults.js';
import { formatDate, addDays, previousPeriod, spanOf, yearAgo, type Period, type PeriodSpan } from './period.js';
import { change, figuresOf, tallyOf, type FaultLimits, type Figures } from './tally.js';

export const DIMENSIONS = ['category', 'severity', 'site', 'room', 'device_type'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const DEFAULT_DIMENSIONS: readonly Dimension[] = ['category', 'severity'];

/** How a breakdown groups a fault, and the name people read for the group. */
const GROUPS: Record<Dimension, (f: Fault) => { key: string; name: string }> = {
  category: (f) => ({ key: f.category, name: f.category }),
  severity: (f) => ({ key: f.severity, name: f.severity }),
  site: (f) => ({ key: f.site, name: f.siteName }),
  room: (f) => ({ key: `${f.site}/${f.room}`, name: `${f.siteName} / ${f.roomName}` }),
  device_type: (f) => ({ key: f.deviceType, name: f.deviceType }),
};
// Listed even at zero, so a quiet category reads 0 rather than missing.
const ALWAYS: Partial<Record<Dimension, readonly string[]>> = { category: FAULT_CATEGORIES, severity: FAULT_SEVERITIES };

export interface PeriodFigures extends Figures {
  period: { from: string; to: string; from_ms: number; to_ms: number };
}

export interface BreakdownRow extends Figures {
  key: string;
  name: string;
  previous_faults: number;
  year_ago_faults: number;
  /** 环比 and 同比 of the fault count (0.25 = +25 %), null when the earlier period had none. */
  change_previous: number | null;
  change_year_ago: number | null;
}

export interface NoisyDevice extends DeviceRef {
  faults: number;
  flapping: number;
}

export interface OpenFault {
  id: string;
  incident: boolean;
  severity: string;
  category: string;
  opened_at: number;
  resolved: boolean;
  site_name: string;
  room_name: string;
  device_name: string;
}

/** Everything `roomwatch report faults` and GET /api/reports/faults answer with. */
export interface FaultReport {
  timezone: string;
  current: PeriodFigures;
  /** 环比: the period of equal length before (the previous calendar month for a month). */
  previous: PeriodFigures;
  /** 同比: the same dates a year earlier. */
  year_ago: PeriodFigures;
  change: {
    previous: Changes;
    year_ago: Changes;
  };
  breakdowns: Partial<Record<Dimension, BreakdownRow[]>>;
  noisy_devices: NoisyDevice[];
  /** Faults of the period nobody acknowledged (so far), oldest first. */
  unacknowledged: OpenFault[];
}

export interface Changes {
  faults: number | null;
  mtta_seconds: number | null;
  mttr_seconds: number | null;
  resolution_rate: number | null;
}

export interface ReportInput {
  /** alert_events rows covering the three periods (openings in them, acknowledgements and resolutions since). */
  rows: readonly EventRow[];
  period: Period;
  timeZone: string;
  limits: FaultLimits;
  by: readonly Dimension[];
  /** How many noisy devices to list. */
  top?: number;
}

/** The three periods a report compares, as instants: what the reader must fetch. */
export function reportSpans(period: Period, timeZone: string): { current: PeriodSpan; previous: PeriodSpan; yearAgo: PeriodSpan } {
  return { current: spanOf(period, timeZone), previous: spanOf(previousPeriod(period), timeZone), yearAgo: spanOf(yearAgo(period), timeZone) };
}

function periodFigures(faults: Fault[], p: Period, span: PeriodSpan, limits: FaultLimits): PeriodFigures {
  return { period: { from: formatDate(p.from), to: formatDate(addDays(p.to, -1)), from_ms: span.fromMs, to_ms: span.toMs }, ...figuresOf(tallyOf(faults, limits)) };
}

function changes(now: Figures, before: Figures): Changes {
  return {
    faults: change(now.faults, before.faults),
    mtta_seconds: change(now.mtta_seconds, before.mtta_seconds),
    mttr_seconds: change(now.mttr_seconds, before.mttr_seconds),
    resolution_rate: change(now.resolution_rate, before.resolution_rate),
  };
}

function breakdown(dimension: Dimension, current: Fault[], previous: Fault[], year: Fault[], limits: FaultLimits): BreakdownRow[] {
  const group = GROUPS[dimension];
  const groups = new Map<string, { name: string; faults: Fault[]; previous: number; year: number }>();
  const entry = (key: string, name: string) => groups.get(key) ?? groups.set(key, { name, faults: [], previous: 0, year: 0 }).get(key)!;
  for (const key of ALWAYS[dimension] ?? []) groups.set(key, { name: key, faults: [], previous: 0, year: 0 });
  for (const f of current) {
    const { key, name } = group(f);
    const g = entry(key, name);
    g.faults.push(f);
    // The newest name wins: a room renamed in the period shows as it is called now.
    g.name = name;
  }
  for (const f of previous) {
    const { key, name } = group(f);
    entry(key, name).previous++;
  }
  for (const f of year) {
    const { key, name } = group(f);
    entry(key, name).year++;
  }
  const rows = [...groups].map(([key, g]) => {
    const figures = figuresOf(tallyOf(g.faults, limits));
    return { key, name: g.name, ...figures, previous_faults: g.previous, year_ago_faults: g.year, change_previous: change(figures.faults, g.previous), change_year_ago: change(figures.faults, g.year) };
  });
  const fixed = ALWAYS[dimension];
  return fixed ? rows.sort((a, b) => indexIn(fixed, a.key) - indexIn(fixed, b.key)) : rows.sort((a, b) => b.faults - a.faults || a.name.localeCompare(b.name));
}

const indexIn = (list: readonly string[], key: string) => (list.includes(key) ? list.indexOf(key) : list.length);

function noisyDevices(faults: Fault[], rows: EventIndex, span: PeriodSpan, top: number): NoisyDevice[] {
  const devices = new Map<string, NoisyDevice>();
  for (const f of faults) {
    const key = deviceKey(f.site, f.room, f.device);
    const d = devices.get(key) ?? devices.set(key, { site: f.site, room: f.room, device: f.device, siteName: f.siteName, roomName: f.roomName, deviceName: f.deviceName, faults: 0, flapping: 0 }).get(key)!;
    d.faults++;
  }
  for (const [key, { count, device }] of flappingFrom(rows, span.fromMs, span.toMs)) {
    const d = devices.get(key) ?? devices.set(key, { ...device, faults: 0, flapping: 0 }).get(key)!;
    d.flapping = count;
  }
  return [...devices.values()].sort((a, b) => b.faults - a.faults || b.flapping - a.flapping || a.deviceName.localeCompare(b.deviceName)).slice(0, top);
}

/** The fault statistics of a period, with 环比 and 同比. Pure: rows in, figures out. */
export function faultReport(input: ReportInput): FaultReport {
  const { rows, period, timeZone, limits } = input;
  const spans = reportSpans(period, timeZone);
  const index = indexEvents(rows);
  const current = faultsFrom(index, spans.current.fromMs, spans.current.toMs);
  const previous = faultsFrom(index, spans.previous.fromMs, spans.previous.toMs);
  // A year's 环比 and 同比 are the same year: counted once (the faults are only read from here on).
  const sameSpan = spans.yearAgo.fromMs === spans.previous.fromMs && spans.yearAgo.toMs === spans.previous.toMs;
  const year = sameSpan ? previous : faultsFrom(index, spans.yearAgo.fromMs, spans.yearAgo.toMs);
  const cur = periodFigures(current, period, spans.current, limits);
  const prev = periodFigures(previous, previousPeriod(period), spans.previous, limits);
  const ago = periodFigures(year, yearAgo(period), spans.yearAgo, limits);
  const breakdowns: FaultReport['breakdowns'] = {};
  for (const dimension of input.by) breakdowns[dimension] = breakdown(dimension, current, previous, year, limits);
  return {
    timezone: timeZone,
    current: cur,
    previous: prev,
    year_ago: ago,
    change: { previous: changes(cur, prev), year_ago: changes(cur, ago) },
    breakdowns,
    noisy_devices: noisyDevices(current, index, spans.current, input.top ?? 10),
    unacknowledged: current
      .filter((f) => f.acknowledgedAt === undefined)
      .map((f) => ({ id: f.id, incident: f.incident, severity: f.severity, category: f.category, opened_at: f.openedAt, resolved: f.resolvedAt !== undefined, site_name: f.siteName, room_name: f.roomName, device_name: f.deviceName })),
  };
}

/** `category,room` → the dimensions, or what is wrong with the list. */
export function parseDimensions(text: string | undefined): Dimension[] | { error: string } {
  if (text === undefined || text.trim() === '') return [...DEFAULT_DIMENSIONS];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !(DIMENSIONS as readonly string[]).includes(n));
  if (bad.length) return { error: `by: unknown breakdown ${bad.map((b) => `"${b}"`).join(', ')}; expected a comma-separated list of ${DIMENSIONS.join(', ')}` };
  return [...new Set(names)] as Dimension[];
}
