import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceReader } from './drivers/driver-runtime.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { DeviceSpec } from '../common/contracts/device.js';
import { PollScheduler } from './scheduler.js';

// The scheduler with fake timers: Date and performance advance together, and setSystemTime steps
// the wall clock alone, as NTP or `date -s` would under a running daemon.
const HOUR = 3_600_000;

function schedulerPolling(intervalMs: number): { scheduler: PollScheduler; polls: PollOutcome[] } {
  const polls: PollOutcome[] = [];
  const spec = { id: 'th-1', intervalMs, tags: { device: 'th-1' } } as unknown as DeviceSpec;
  const reader = { read: () => Promise.resolve({ readings: [] }), close: () => undefined } as unknown as DeviceReader;
  const scheduler = new PollScheduler([{ spec, reader }], { jitter: 0, onPoll: (o) => polls.push(o), log: pino({ level: 'silent' }), random: () => 0 });
  return { scheduler, polls };
}

describe('PollScheduler under wall-clock steps', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 10, 21, 2), toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('keeps polling every interval when the clock is stepped an hour back, and stamps readings with the wall clock', async () => {
    const { scheduler, polls } = schedulerPolling(10_000);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(35_000);
    expect(polls).toHaveLength(4);
    vi.setSystemTime(Date.now() - HOUR);
    const stepped = Date.now();
    await vi.advanceTimersByTimeAsync(40_000);
    expect(polls).toHaveLength(8);
    expect(polls[4]!.time).toBeGreaterThanOrEqual(stepped);
    expect(polls[4]!.time).toBeLessThan(stepped + 10_000);
    await scheduler.stop();
  });

  it('neither bursts nor skips turns when the clock is stepped an hour ahead', async () => {
    const { scheduler, polls } = schedulerPolling(10_000);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(35_000);
    vi.setSystemTime(Date.now() + HOUR);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(polls).toHaveLength(8);
    await scheduler.stop();
  });
});
