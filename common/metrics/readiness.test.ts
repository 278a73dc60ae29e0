import { describe, expect, it } from 'vitest';
import { decideReadiness, DropWatch, PollPulse, READINESS_LIMITS, type ReadinessInput } from './readiness.js';

const S = 1000;
const MIN = 60 * S;

/** A daemon started 10 min ago with 1 s intervals, polling, writing, and with nothing to send. */
function running(over: Partial<ReadinessInput> = {}): ReadinessInput {
  const now = 600 * S;
  return {
    now,
    startedAt: 0,
    reloadRejected: false,
    pollers: { devices: 3, longestIntervalMs: S, slowestPollMs: 40, lastPollAt: now - 200 },
    storage: { reachable: true, spoolFillPercent: 0 },
    outbox: { pending: 0 },
    ...over,
  };
}

const failing = (input: ReadinessInput) => decideReadiness(input).checks.filter((c) => !c.ok).map((c) => c.name);
const checkNamed = (input: ReadinessInput, name: string) => decideReadiness(input).checks.find((c) => c.name === name)!;

describe('readiness', () => {
  it('is ready with all four checks passing, and says nothing more while all is well', () => {
    expect(decideReadiness(running())).toEqual({
      ready: true,
      checks: [
        { name: 'configuration', ok: true },
        { name: 'pollers', ok: true },
        { name: 'storage', ok: true },
        { name: 'outbox', ok: true },
      ],
    });
  });

  it('is not ready while the components are starting, for configuration and pollers alike', () => {
    const starting = decideReadiness(running({ startedAt: undefined, pollers: { devices: 3, longestIntervalMs: S, slowestPollMs: 0 } }));
    expect(starting.ready).toBe(false);
    expect(starting.checks.filter((c) => !c.ok).map((c) => [c.name, c.text?.['zh-CN']])).toEqual([
      ['configuration', '启动中：尚有组件未启动'],
      ['pollers', '轮询尚未启动'],
    ]);
  });

  it('stays ready after a rejected reload, saying it runs the previous configuration', () => {
    const check = checkNamed(running({ reloadRejected: true }), 'configuration');
    expect(check).toMatchObject({ ok: true, reason: 'the last reload was rejected; running the previous configuration' });
  });

  it('calls the pollers stalled only after no poll finished for 3 intervals, and never within 30 s', () => {
    const now = 600 * S;
    const withLastPoll = (ago: number, longestIntervalMs: number, slowestPollMs = 40) => running({ now, pollers: { devices: 3, longestIntervalMs, slowestPollMs, lastPollAt: now - ago } });
    // 1 s intervals: the 30 s floor decides.
    expect(failing(withLastPoll(30 * S, S))).toEqual([]);
    expect(failing(withLastPoll(30 * S + 1, S))).toEqual(['pollers']);
    // 60 s intervals: 3 intervals.
    expect(failing(withLastPoll(180 * S, MIN))).toEqual([]);
    expect(checkNamed(withLastPoll(181 * S, MIN), 'pollers')).toMatchObject({ ok: false, reason: 'no poll has finished for 181 s (stalled)' });
    // A device whose polls take 20 s (long timeout, retries) stretches the horizon to 3 of its polls.
    expect(failing(withLastPoll(59 * S, S, 20 * S))).toEqual([]);
    expect(failing(withLastPoll(61 * S, S, 20 * S))).toEqual(['pollers']);
  });

  it('counts a daemon that never finished a poll from its start', () => {
    const neverPolled = (now: number) => running({ now, startedAt: 100 * S, pollers: { devices: 1, longestIntervalMs: S, slowestPollMs: 0 } });
    expect(failing(neverPolled(130 * S))).toEqual([]);
    expect(checkNamed(neverPolled(131 * S), 'pollers')).toMatchObject({ ok: false, reason: 'no poll has finished in the 31 s since start' });
  });

  it('is ready with no devices configured (nothing to poll is not a stall)', () => {
    expect(checkNamed(running({ now: 10 * MIN, pollers: { devices: 0, longestIntervalMs: 0, slowestPollMs: 0 } }), 'pollers')).toMatchObject({ ok: true, reason: 'no devices configured' });
  });

  it('stays ready while InfluxDB is down and the spool has room, and is not ready once it is full', () => {
    const spooling = checkNamed(running({ storage: { reachable: false, spoolFillPercent: 94 } }), 'storage');
    expect(spooling).toMatchObject({ ok: true, reason: 'InfluxDB unreachable; spooling to disk (94% of spool.max_size used)' });
    const full = checkNamed(running({ storage: { reachable: false, spoolFillPercent: READINESS_LIMITS.spoolFullPercent } }), 'storage');
    expect(full.ok).toBe(false);
    expect(full.text?.['zh-CN']).toContain('缓存已满');
    expect(full.reason).toContain('the oldest points are being dropped');
  });

  it('counts a spool that dropped points within the last minute as full, though dropping made room again', () => {
    const dropped = (ago: number) => checkNamed(running({ storage: { reachable: false, spoolFillPercent: 88, lastDropAgoMs: ago } }), 'storage');
    expect(dropped(60 * S)).toMatchObject({ ok: false });
    expect(dropped(61 * S)).toMatchObject({ ok: true, reason: 'InfluxDB unreachable; spooling to disk (88% of spool.max_size used)' });
  });

  it('is not ready when the oldest pending notification waited longer than 15 min, whatever the count', () => {
    expect(failing(running({ outbox: { pending: 40, oldestAgeMs: 15 * MIN } }))).toEqual([]);
    const stuck = checkNamed(running({ outbox: { pending: 2, oldestAgeMs: 16 * MIN } }), 'outbox');
    expect(stuck).toMatchObject({ ok: false, reason: '2 notification(s) pending; the oldest has waited 16 min (receivers not answering)' });
  });

  it('reports every failing check at once, so one probe answer says all that is wrong', () => {
    const input = running({ startedAt: 0, storage: { reachable: false, spoolFillPercent: 100 }, outbox: { pending: 1, oldestAgeMs: 60 * MIN } });
    expect(decideReadiness(input).ready).toBe(false);
    expect(failing(input)).toEqual(['storage', 'outbox']);
  });
});

describe('drop watch', () => {
  it('says how long ago the dropped-points figure last grew, as seen at each look', () => {
    let now = 0;
    const watch = new DropWatch(() => now);
    expect(watch.observe(0)).toBeUndefined();
    now = 10;
    expect(watch.observe(500)).toBe(0);
    now = 25;
    expect(watch.observe(500)).toBe(15);
    now = 30;
    expect(watch.observe(800)).toBe(0);
  });
});

describe('poll pulse', () => {
  it('remembers when the last poll finished and the slowest poll', () => {
    let now = 5;
    const pulse = new PollPulse(() => now);
    expect([pulse.lastPollAt, pulse.slowestPollMs]).toEqual([undefined, 0]);
    pulse.heard(120);
    now = 9;
    pulse.heard(30);
    expect([pulse.lastPollAt, pulse.slowestPollMs]).toEqual([9, 120]);
  });
});
