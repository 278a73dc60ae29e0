import { describe, expect, it } from 'vitest';
import { isIsoDate, localDate, localDay, localToInstant, nextRunAt } from './local-time.js';

const iso = (t: number) => new Date(t).toISOString();

describe('local days and times', () => {
  it('gives a Beijing day as 16:00 UTC the day before, 24 hours long', () => {
    const day = localDay('2026-12-01', 'Asia/Shanghai');
    expect(iso(day.start)).toBe('2026-11-30T16:00:00.000Z');
    expect(day.end - day.start).toBe(24 * 3_600_000);
  });

  it('has days of 23 and 25 hours where daylight saving starts and ends', () => {
    const spring = localDay('2026-03-08', 'America/New_York');
    expect(iso(spring.start)).toBe('2026-03-08T05:00:00.000Z');
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    const autumn = localDay('2026-11-01', 'America/New_York');
    expect(autumn.end - autumn.start).toBe(25 * 3_600_000);
  });

  it('puts a skipped time after the gap and a repeated one at its first occurrence', () => {
    expect(iso(localToInstant('2026-03-08', 150, 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(localToInstant('2026-11-01', 90, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('runs next at today’s time when it is still ahead, else tomorrow’s', () => {
    expect(nextRunAt(Date.parse('2026-12-01T23:00:00Z'), '07:30', 'Asia/Shanghai')).toEqual({ at: Date.parse('2026-12-01T23:30:00Z'), date: '2026-12-02' });
    expect(nextRunAt(Date.parse('2026-12-01T23:30:00Z'), '07:30', 'Asia/Shanghai')).toEqual({ at: Date.parse('2026-12-02T23:30:00Z'), date: '2026-12-03' });
    // 02:30 does not exist on 8 March in New York: the run is at 03:30 EDT, not skipped.
    expect(iso(nextRunAt(Date.parse('2026-03-08T06:00:00Z'), '02:30', 'America/New_York').at)).toBe('2026-03-08T07:30:00.000Z');
  });

  it('reads local dates and checks calendar dates', () => {
    expect(localDate(Date.parse('2026-11-30T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-01');
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
  });
});
