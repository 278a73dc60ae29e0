/**
 * Local calendar days, months and years in an IANA time zone, and the instants they start at.
 * Periods are held as local dates (a day is a day even when DST makes it 23 or 25 hours long)
 * and turned into instants only at the edges, with Intl: no time-zone table of our own.
 */

/** A local calendar date; month 1–12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** [from, to) in local dates, `to` exclusive; `months` when it spans whole calendar months. */
export interface Period {
  from: LocalDate;
  to: LocalDate;
  months?: number;
}

/** A period as instants: what the queries and the counting use. */
export interface PeriodSpan {
  fromMs: number;
  toMs: number;
  /** `2025-01-01` … `2025-01-31`, `to` shown inclusive as people say it. */
  label: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading in `timeZone` at instant `ms`, as if that reading were UTC. */
function wallAsUtc(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour! % 24, parts.minute, parts.second);
}

/** The local date at instant `ms`. */
export function localDateAt(ms: number, timeZone: string): LocalDate {
  const wall = new Date(wallAsUtc(ms, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The first instant of a local date. The zone's offset is read at a guess and again at the
 * answer, which settles it on either side of a DST change; where midnight does not exist (a
 * spring-forward at 00:00) it is the first instant of that day.
 */
export function startOfDay(date: LocalDate, timeZone: string): number {
  const target = Date.UTC(date.year, date.month - 1, date.day);
  let at = target - (wallAsUtc(target, timeZone) - target);
  for (let i = 0; i < 2; i++) at += target - wallAsUtc(at, timeZone);
  // Midnight skipped: the offset jumped; the day starts where the local date first reads `date`.
  if (compareDates(localDateAt(at, timeZone), date) < 0) at += 3_600_000;
  return at;
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The date `n` days later (or earlier), by the calendar. */
export function addDays(date: LocalDate, n: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The date `n` months later (or earlier); a day the month lacks (31, or 29 February) becomes its last. */
export function addMonths(date: LocalDate, n: number): LocalDate {
  const index = date.year * 12 + (date.month - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(date.day, last) };
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000);
}

export function formatDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** A bad --from/--to (or from=/to=) in the caller's words. */
export class PeriodError extends Error {}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** `YYYY-MM-DD` or `YYYY-MM`: its first day, and the day after its last (exclusive end). */
function parseBound(text: string, what: string): { first: LocalDate; next: LocalDate; month: boolean } {
  const day = DAY.exec(text);
  if (day) {
    const date = { year: Number(day[1]), month: Number(day[2]), day: Number(day[3]) };
    if (date.month < 1 || date.month > 12 || date.day < 1 || addDays(date, 0).day !== date.day) {
      throw new PeriodError(`${what} "${text}": no such date`);
    }
    return { first: date, next: addDays(date, 1), month: false };
  }
  const month = MONTH.exec(text);
  if (month) {
    const first = { year: Number(month[1]), month: Number(month[2]), day: 1 };
    if (first.month < 1 || first.month > 12) throw new PeriodError(`${what} "${text}": no such month`);
    return { first, next: addMonths(first, 1), month: true };
  }
  throw new PeriodError(`${what} "${text}": expected a local date YYYY-MM-DD or a month YYYY-MM`);
}

/**
 * The period from `from` to `to`, both inclusive as people say them ("2025-01-01 to 2025-01-31",
 * or "2025-01"); `to` defaults to `from`. Whole months are recognised either way they are written.
 */
export function parsePeriod(fromText: string, toText: string | undefined): Period {
  const from = parseBound(fromText, 'from');
  const to = toText === undefined ? from : parseBound(toText, 'to');
  if (compareDates(to.next, from.first) <= 0) throw new PeriodError(`to "${toText ?? fromText}" is before from "${fromText}"`);
  const period: Period = { from: from.first, to: to.next };
  const months = (to.next.year * 12 + to.next.month) - (from.first.year * 12 + from.first.month);
  if (from.first.day === 1 && to.next.day === 1) period.months = months;
  return period;
}

/** 环比: the period of equal length just before — the previous calendar month(s) for whole months. */
export function previousPeriod(p: Period): Period {
  if (p.months !== undefined) return { from: addMonths(p.from, -p.months), to: p.from, months: p.months };
  return { from: addDays(p.from, -daysBetween(p.from, p.to)), to: p.from };
}

/** 同比: the same local dates one year earlier. */
export function yearAgo(p: Period): Period {
  const shifted: Period = { from: addMonths(p.from, -12), to: addMonths(p.to, -12) };
  if (p.months !== undefined) shifted.months = p.months;
  return shifted;
}

export function spanOf(p: Period, timeZone: string): PeriodSpan {
  return { fromMs: startOfDay(p.from, timeZone), toMs: startOfDay(p.to, timeZone), label: `${formatDate(p.from)} … ${formatDate(addDays(p.to, -1))}` };
}
