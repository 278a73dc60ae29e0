import { describe, expect, it } from 'vitest';
import { systemAlertClock } from './clock.js';

describe('systemAlertClock', () => {
  it('gives whole milliseconds on the wall-clock scale (they become alert ids and InfluxDB timestamps)', async () => {
    const clock = systemAlertClock();
    await new Promise((resolve) => setTimeout(resolve, 3));
    const steady = clock.now();
    expect(Number.isInteger(steady)).toBe(true);
    expect(Math.abs(steady - clock.wall())).toBeLessThan(1000);
  });
});
