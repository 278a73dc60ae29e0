import { describe, expect, it, vi } from 'vitest';
import { MIN, boss, config, engine, poll, start, useEngineBed } from '../test/helpers/engine-bed.js';
import { DeliveryError, type Notifier } from './notify/notifier.js';

useEngineBed();

/** The duty receiver's transport, down until told otherwise (a retryable failure, as a timeout is). */
function flakyDuty(): Notifier & { up: boolean; delivered: number; refused: number } {
  return {
    id: 'duty',
    up: false,
    delivered: 0,
    refused: 0,
    send() {
      if (this.up) {
        this.delivered++;
        return Promise.resolve();
      }
      this.refused++;
      return Promise.reject(new DeliveryError('connect ECONNREFUSED', true));
    },
  };
}

describe('AlertEngine figures for the daemon metrics and readiness', () => {
  // A generous timeout: minutes of engine ticks under fake timers take seconds on a busy machine.
  it('counts rule evaluations, delivery attempts per channel, and how long the oldest notification has waited', { timeout: 30_000 }, async () => {
    const cfg = config();
    start(cfg);
    const duty = flakyDuty();
    engine.setNotifier(duty);
    expect([engine.ruleEvaluations(), engine.outboxOldestAgeMs(), engine.notificationAttempts()]).toEqual([0, undefined, []]);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 4 }));
    expect(engine.ruleEvaluations()).toBeGreaterThan(0);

    // Queued after group_wait (10 s); its first attempt fails at once, the next after 5 s.
    await vi.advanceTimersByTimeAsync(11_000);
    expect(engine.outboxSize()).toBe(1);
    // Each notice tried at 0, 5, 20 and 50 s (BACKOFF_MS), the next at 110 s.
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.outboxOldestAgeMs()).toBeGreaterThanOrEqual(MIN);
    expect(duty.refused).toBeGreaterThan(0);
    expect(engine.notificationAttempts()).toEqual([{ channel: 'webhook', sent: boss.sent.length, failed: duty.refused }]);

    duty.up = true;
    await vi.advanceTimersByTimeAsync(MIN);
    expect([engine.outboxSize(), engine.outboxOldestAgeMs()]).toEqual([0, undefined]);
    // Both receivers are webhooks: one channel, whatever each was sent.
    expect(duty.delivered).toBeGreaterThan(0);
    expect(engine.notificationAttempts()).toEqual([{ channel: 'webhook', sent: duty.delivered + boss.sent.length, failed: duty.refused }]);
  });
});
