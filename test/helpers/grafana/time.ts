/**
 * Grafana's time arithmetic, as a dashboard query sees it: relative ranges (`now-15m`, `now/M`),
 * panel time overrides, the auto interval behind `$__interval`, and the backend's macros.
 * Written from Grafana's documented behaviour (dateMath, rangeUtil.calculateInterval,
 * roundInterval, secondsToHms; the InfluxQL backend's `$timeFilter`), so a test can expand a
 * dashboard's queries exactly as a Grafana server would send them to InfluxDB.
 */

export interface TimeRange {
  from: number;
  to: number;
  /** The expressions the range was made from, for messages ("now-15m..now"). */
  raw: { from: string; to: string };
}

const FIXED_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
type Unit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'M' | 'y';

interface Wall {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

function wallOf(time: number, zone: string): Wall {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(time);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second'), ms: ((time % 1000) + 1000) % 1000 };
}

/** The instant a wall-clock time names in `zone` (Date.UTC normalises overflowing fields, e.g. month 0). */
function instantOf(wall: Wall, zone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms);
  let guess = asUtc;
  // Two rounds settle the zone offset except inside a DST gap, which no date math here lands in.
  for (let i = 0; i < 2; i++) {
    const seen = wallOf(guess, zone);
    const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second, seen.ms) - guess;
    guess = asUtc - offset;
  }
  return guess;
}

function add(time: number, amount: number, unit: Unit, zone: string): number {
  if (unit in FIXED_MS) return time + amount * FIXED_MS[unit]!;
  const wall = wallOf(time, zone);
  if (unit === 'd') wall.day += amount;
  else if (unit === 'w') wall.day += 7 * amount;
  else if (unit === 'M') wall.month += amount;
  else wall.year += amount;
  return instantOf(wall, zone);
}

/** Start (or, rounding up, the last millisecond) of the `unit` containing `time`, in `zone`. */
function round(time: number, unit: Unit, up: boolean, zone: string): number {
  const wall = wallOf(time, zone);
  const order: Unit[] = ['y', 'M', 'd', 'h', 'm', 's'];
  if (unit === 'w') {
    // ISO weeks (Monday first), as Grafana with its default week start.
    const weekday = (new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay() + 6) % 7;
    wall.day -= weekday;
  }
  const keep = unit === 'w' ? 'd' : unit;
  const start = { ...wall, ms: 0 };
  const zeroFrom = order.indexOf(keep) + 1;
  if (zeroFrom <= 1) start.month = 1;
  if (zeroFrom <= 2) start.day = 1;
  if (zeroFrom <= 3) start.hour = 0;
  if (zeroFrom <= 4) start.minute = 0;
  if (zeroFrom <= 5) start.second = 0;
  const begin = instantOf(start, zone);
  return up ? add(begin, 1, unit, zone) - 1 : begin;
}

/**
 * dateMath.parse: `now`, `now-7d`, `now/d`, `now-1M/M`, or an epoch in ms. `roundUp` is true for
 * a range's end, as Grafana does (`now/d` as an end is the day's last millisecond).
 */
export function parseTime(text: string, now: number, zone: string, roundUp = false): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!trimmed.startsWith('now')) {
    const absolute = Date.parse(trimmed);
    if (Number.isNaN(absolute)) throw new Error(`unsupported Grafana time "${text}" (expected now[±N unit][/unit], epoch ms or ISO date)`);
    return absolute;
  }
  let time = now;
  let rest = trimmed.slice(3);
  const step = /^([+-])(\d+)(ms|[smhdwMy])|^\/([smhdwMy])/;
  while (rest) {
    const match = step.exec(rest);
    if (!match) throw new Error(`unsupported Grafana time "${text}": cannot read "${rest}"`);
    if (match[4]) time = round(time, match[4] as Unit, roundUp, zone);
    else time = add(time, (match[1] === '-' ? -1 : 1) * Number(match[2]), match[3] as Unit, zone);
    rest = rest.slice(match[0].length);
  }
  return time;
}

export function timeRange(from: string, to: string, now: number, zone: string): TimeRange {
  return { from: parseTime(from, now, zone), to: parseTime(to, now, zone, true), raw: { from, to } };
}

/**
 * A panel's relative time (`timeFrom`: "30d", "now/M") and shift (`timeShift`: "1d"), as
 * Grafana's applyPanelTimeOverrides: a bare duration N means now-N..now, an expression names
 * both ends (`now/M` is this month), the shift moves both ends back.
 */
export function panelRange(range: TimeRange, now: number, zone: string, timeFrom?: string, timeShift?: string): TimeRange {
  let result = range;
  if (timeFrom) {
    const from = /^\d+(ms|[smhdwMy])$/.test(timeFrom) ? `now-${timeFrom}` : timeFrom;
    const to = /^\d+(ms|[smhdwMy])$/.test(timeFrom) ? 'now' : timeFrom;
    result = timeRange(from, to, now, zone);
  }
  if (timeShift) {
    const shift = /^(\d+)(ms|[smhdwMy])$/.exec(timeShift);
    if (!shift) throw new Error(`unsupported panel timeShift "${timeShift}" (expected N unit, e.g. 1d)`);
    const back = (t: number) => add(t, -Number(shift[1]), shift[2] as Unit, zone);
    result = { from: back(result.from), to: back(result.to), raw: { from: `${result.raw.from}-${timeShift}`, to: `${result.raw.to}-${timeShift}` } };
  }
  return result;
}

/** Grafana interval text ("10s", "1m", ">30s") in ms. */
export function intervalToMs(text: string): number {
  const match = /^>?\s*(\d+(?:\.\d+)?)(ms|[smhdwMy])$/.exec(text.trim());
  if (!match) throw new Error(`unsupported Grafana interval "${text}" (expected e.g. 10s, 5m, >1m)`);
  const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000, y: 31_536_000_000 };
  return Number(match[1]) * unitMs[match[2]!]!;
}

// rangeUtil.roundInterval: the computed interval snaps to the next "nice" value below each bound.
const ROUNDING: Array<[below: number, to: number]> = [
  [10, 1], [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1000], [3500, 2000], [7500, 5000],
  [12_500, 10_000], [17_500, 15_000], [25_000, 20_000], [45_000, 30_000], [90_000, 60_000], [210_000, 120_000],
  [450_000, 300_000], [750_000, 600_000], [1_050_000, 900_000], [1_500_000, 1_200_000], [2_700_000, 1_800_000],
  [5_400_000, 3_600_000], [9_000_000, 7_200_000], [16_200_000, 10_800_000], [32_400_000, 21_600_000],
  [86_400_000, 43_200_000], [604_800_000, 86_400_000], [1_814_400_000, 604_800_000], [3_628_800_000, 2_592_000_000],
];

export function roundInterval(ms: number): number {
  for (const [below, to] of ROUNDING) if (ms < below) return to;
  return 31_536_000_000;
}

/** rangeUtil.secondsToHms: the largest whole unit, as Grafana prints an interval ("2h", "30d", "1y"). */
export function intervalText(ms: number): string {
  const seconds = ms / 1000;
  const units: Array<[string, number]> = [['y', 31_536_000], ['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]];
  let rest = seconds;
  for (const [unit, size] of units) {
    const whole = Math.floor(rest / size);
    if (whole) return `${whole}${unit}`;
    rest %= size;
  }
  const millis = Math.floor(seconds * 1000);
  return millis ? `${millis}ms` : 'less than a millisecond';
}

/**
 * rangeUtil.calculateInterval: the range over the panel's data points (maxDataPoints, else its
 * width in pixels), rounded, and never below the panel's min interval (else the datasource's).
 */
export function panelInterval(range: TimeRange, resolution: number, lowLimit?: string): { ms: number; text: string } {
  let ms = roundInterval((range.to - range.from) / Math.max(1, resolution));
  if (lowLimit) ms = Math.max(ms, intervalToMs(lowLimit));
  return { ms, text: intervalText(ms) };
}

/**
 * The InfluxQL backend's macros, after the frontend has expanded the variables. `$__interval_ms`
 * before `$__interval`, which is a prefix of it.
 */
export function expandMacros(query: string, range: TimeRange, interval: { ms: number; text: string }): string {
  return query
    .replaceAll('$timeFilter', `time >= ${range.from}ms and time <= ${range.to}ms`)
    .replaceAll('$__interval_ms', String(interval.ms))
    .replaceAll('$__interval', interval.text)
    .replaceAll('$interval', interval.text);
}
