import { describe, expect, it } from 'vitest';
import { inWindow, mutedBy, type MaintenanceWindow, type Silence } from './mute.js';

// 2026-11-21 is a Saturday. 02:30 in Beijing (UTC+8) is 18:30 UTC on Friday the 20th.
const beijing = (day: number, hour: number, minute = 0) => Date.UTC(2026, 10, day, hour - 8, minute);

describe('silences', () => {
  const silence: Silence = { id: 's1', matchers: { device: 'ups-3' }, startsAt: beijing(21, 9), endsAt: beijing(21, 11), author: '张工', reason: '更换电池' };

  it('mute matching alerts only between start and end', () => {
    const labels = { device: 'ups-3', rule: 'ups_on_battery', site: 'county-a' };
    expect(mutedBy(labels, [silence], [], beijing(21, 8, 59))).toBeUndefined();
    expect(mutedBy(labels, [silence], [], beijing(21, 9))).toMatch(/silenced by 张工 .*更换电池/);
    expect(mutedBy(labels, [silence], [], beijing(21, 11))).toBeUndefined();
    expect(mutedBy({ ...labels, device: 'ups-1' }, [silence], [], beijing(21, 10))).toBeUndefined();
  });
});

describe('maintenance windows', () => {
  const saturdayNight: MaintenanceWindow = { name: 'generator-test', matchers: { site: 'county-a' }, weekdays: ['sat'], startMinute: 2 * 60, endMinute: 4 * 60, timeZone: 'Asia/Shanghai' };

  it('recur on the listed weekdays in the window’s own time zone', () => {
    expect(inWindow(saturdayNight, beijing(21, 2, 30))).toBe(true);
    expect(inWindow(saturdayNight, beijing(21, 4, 0))).toBe(false);
    expect(inWindow(saturdayNight, beijing(28, 3, 59))).toBe(true);
    expect(inWindow(saturdayNight, beijing(22, 2, 30))).toBe(false);
    expect(mutedBy({ site: 'county-a' }, [], [saturdayNight], beijing(21, 3))).toBe('maintenance window generator-test');
    expect(mutedBy({ site: 'prov' }, [], [saturdayNight], beijing(21, 3))).toBeUndefined();
  });

  it('run past midnight into the next day', () => {
    const overnight: MaintenanceWindow = { ...saturdayNight, weekdays: ['fri'], startMinute: 23 * 60, endMinute: 60 };
    expect(inWindow(overnight, beijing(20, 23, 30))).toBe(true);
    expect(inWindow(overnight, beijing(21, 0, 30))).toBe(true);
    expect(inWindow(overnight, beijing(21, 1, 0))).toBe(false);
    expect(inWindow(overnight, beijing(21, 23, 30))).toBe(false);
  });
});
