/**
 * The two kinds of time alerting needs, kept apart so that stepping the system clock (NTP
 * correcting a wrong clock, an operator's `date -s`, a VM resumed) neither fires nor clears an alert.
 */
export interface AlertClock {
  /**
   * Steady milliseconds on the Unix-epoch scale: the wall clock as it was when the clock was
   * made, advanced only by the monotonic clock since. Every duration (for, clear_for,
   * flapping windows, stale data, escalation, repeats, retry backoff) is a difference of two of
   * these, so a wall-clock step changes none of them.
   */
  now: () => number;
  /** The wall clock: for what people set as dates (silences, maintenance windows, robot signatures). */
  wall: () => number;
}

/** The process's clocks: performance.now() is monotonic (CLOCK_MONOTONIC), Date.now() is not. */
export function systemAlertClock(): AlertClock {
  const origin = Date.now() - performance.now();
  // Whole milliseconds like Date.now(): these times become alert ids and InfluxDB timestamps.
  return { now: () => Math.floor(origin + performance.now()), wall: () => Date.now() };
}

/** One function for both (tests that do not step the clock). */
export function singleClock(now: () => number): AlertClock {
  return { now, wall: now };
}
