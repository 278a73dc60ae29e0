import { describe, expect, it } from 'vitest';
import { localDateAt, parsePeriod, PeriodError, previousPeriod, spanOf, startOfDay, yearAgo } from './period.js';

const utc = (...parts: [number, number, number, number?, number?]) => Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0);

describe('local days in an IANA zone', () => {
  it('starts a Beijing day at 16:00 UTC the day before, across the year boundary', () => {
    expect(startOfDay({ year: 2025, month: 1, day: 1 }, 'Asia/Shanghai')).toBe(utc(2024, 12, 31, 16));
    expect(localDateAt(utc(2024, 12, 31, 16), 'Asia/Shanghai')).toEqual({ year: 2025, month: 1, day: 1 });
    expect(localDateAt(utc(2024, 12, 31, 16) - 1, 'Asia/Shanghai')).toEqual({ year: 2024, month: 12, day: 31 });
  });

  it('gives DST days their 23 and 25 hours (New York)', () => {
    expect(startOfDay({ year: 2025, month: 3, day: 9 }, 'America/New_York')).toBe(utc(2025, 3, 9, 5));
    expect(startOfDay({ year: 2025, month: 3, day: 10 }, 'America/New_York')).toBe(utc(2025, 3, 10, 4));
    expect(startOfDay({ year: 2025, month: 11, day: 2 }, 'America/New_York')).toBe(utc(2025, 11, 2, 4));
    expect(startOfDay({ year: 2025, month: 11, day: 3 }, 'America/New_York')).toBe(utc(2025, 11, 3, 5));
  });

  it('settles the offset when it changes between UTC midnight and local midnight (Sydney)', () => {
    // DST starts 2025-10-05 02:00 local (Oct 4 16:00 UTC): that day began under +10, the next under +11.
    expect(startOfDay({ year: 2025, month: 10, day: 5 }, 'Australia/Sydney')).toBe(utc(2025, 10, 4, 14));
    expect(startOfDay({ year: 2025, month: 10, day: 6 }, 'Australia/Sydney')).toBe(utc(2025, 10, 5, 13));
    // DST ends 2025-04-06 03:00 local: the 6th began under +11.
    expect(startOfDay({ year: 2025, month: 4, day: 6 }, 'Australia/Sydney')).toBe(utc(2025, 4, 5, 13));
  });

  it('starts a day whose midnight does not exist at its first instant (Santiago, 2024-09-08 00:00 → 01:00)', () => {
    // Chile: UTC-4 until 2024-09-08 04:00 UTC, then UTC-3; local 00:00 of the 8th never happens.
    expect(startOfDay({ year: 2024, month: 9, day: 8 }, 'America/Santiago')).toBe(utc(2024, 9, 8, 4));
    expect(startOfDay({ year: 2024, month: 9, day: 7 }, 'America/Santiago')).toBe(utc(2024, 9, 7, 4));
  });
});

describe('periods, 环比 and 同比', () => {
  it('reads a month and compares it with the previous calendar month and with last year', () => {
    const jan = parsePeriod('2025-01', undefined);
    expect(jan).toEqual({ from: { year: 2025, month: 1, day: 1 }, to: { year: 2025, month: 2, day: 1 }, months: 1 });
    expect(previousPeriod(jan)).toEqual({ from: { year: 2024, month: 12, day: 1 }, to: { year: 2025, month: 1, day: 1 }, months: 1 });
    expect(yearAgo(jan)).toEqual({ from: { year: 2024, month: 1, day: 1 }, to: { year: 2024, month: 2, day: 1 }, months: 1 });
  });

  it('takes whole months written as days, so March compares with a February of 28 days', () => {
    const march = parsePeriod('2025-03-01', '2025-03-31');
    expect(march.months).toBe(1);
    expect(previousPeriod(march)).toEqual({ from: { year: 2025, month: 2, day: 1 }, to: { year: 2025, month: 3, day: 1 }, months: 1 });
    const span = spanOf(previousPeriod(march), 'Asia/Shanghai');
    expect((span.toMs - span.fromMs) / 86_400_000).toBe(28);
  });

  it('compares a run of days with as many days before, --to inclusive', () => {
    const week = parsePeriod('2025-01-10', '2025-01-16');
    expect(week.months).toBeUndefined();
    expect(previousPeriod(week)).toEqual({ from: { year: 2025, month: 1, day: 3 }, to: { year: 2025, month: 1, day: 10 } });
    expect(yearAgo(week)).toEqual({ from: { year: 2024, month: 1, day: 10 }, to: { year: 2024, month: 1, day: 17 } });
    expect(spanOf(week, 'Asia/Shanghai')).toEqual({ fromMs: utc(2025, 1, 9, 16), toMs: utc(2025, 1, 16, 16), label: '2025-01-10 … 2025-01-16' });
  });

  it('says what is wrong with a bad date', () => {
    expect(() => parsePeriod('2025-02-30', undefined)).toThrow(new PeriodError('from "2025-02-30": no such date'));
    expect(() => parsePeriod('2025-13', undefined)).toThrow(new PeriodError('from "2025-13": no such month'));
    expect(() => parsePeriod('1/2/2025', undefined)).toThrow(new PeriodError('from "1/2/2025": expected a local date YYYY-MM-DD or a month YYYY-MM'));
    expect(() => parsePeriod('2025-02-01', '2025-01-31')).toThrow(new PeriodError('to "2025-01-31" is before from "2025-02-01"'));
  });
});
