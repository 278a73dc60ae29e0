/**
 * Local days and times in an IANA time zone, without a date library: offsets come from Intl, so
 * days of 23 or 25 hours (daylight saving) are right wherever the report is read.
 */

/** The zone's offset from UTC at `instant`, in milliseconds (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(instant))
    .reduce<Record<string, number>>((acc, p) => (p.type === 'literal' ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local wall time (YYYY-MM-DD, minutes after midnight) happens in the zone. A time
 * that a spring-forward gap skips comes out after the gap; one a fall-back repeats, the first time.
 */
export function localToInstant(date: string, minutes: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000;
  const offsetBefore = zoneOffsetMs(wall - 43_200_000, timeZone);
  const offsetAfter = zoneOffsetMs(wall + 43_200_000, timeZone);
  const valid = [wall - offsetBefore, wall - offsetAfter].filter((t) => t + zoneOffsetMs(t, timeZone) === wall);
  // In a gap no instant has this wall time: the offset before the gap puts it just after.
  return valid.length ? Math.min(...valid) : wall - offsetBefore;
}

/** The local date (YYYY-MM-DD) of `instant` in the zone. */
export function localDate(instant: number, timeZone: string): string {
  return new Date(instant + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 10);
}

/** The date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** A local day as [start, end) instants: 23, 24 or 25 hours long. */
export function localDay(date: string, timeZone: string): { start: number; end: number } {
  return { start: localToInstant(date, 0, timeZone), end: localToInstant(addDays(date, 1), 0, timeZone) };
}

/** "07:30" → 450. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** The first instant after `now` at local time `at` (HH:MM), and the date it falls on. */
export function nextRunAt(now: number, at: string, timeZone: string): { at: number; date: string } {
  const today = localDate(now, timeZone);
  for (let i = 0; i < 3; i++) {
    const date = addDays(today, i);
    const instant = localToInstant(date, minutesOf(at), timeZone);
    if (instant > now) return { at: instant, date };
  }
  throw new Error(`no local time ${at} in ${timeZone} within three days`);
}

/** True when `date` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
}
