import type { Logger } from 'pino';
import type { DeviceReader } from './drivers/driver-runtime.js';
import { healthReadings } from './health.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { DeviceSpec } from '../common/contracts/device.js';

export interface ScheduledDevice {
  spec: DeviceSpec;
  reader: DeviceReader;
}

export interface SchedulerOptions {
  /** Fraction of the interval by which each poll may move, so devices do not fire together. */
  jitter: number;
  onPoll: (outcome: PollOutcome) => void;
  log: Logger;
  random?: () => number;
}

// Turns are scheduled on the monotonic clock: with the wall clock, a step back of an hour would
// stop every poll for that hour (and raise comms and stale-data alerts), a step forward would
// skip turns. Readings still carry the wall-clock time of their poll.
const steadyNow = (): number => performance.now();

interface DeviceState {
  device: ScheduledDevice;
  timer?: NodeJS.Timeout;
  running?: Promise<PollOutcome>;
  startedAt: number;
  nextAt: number;
  baseAt: number;
  overruns: number;
  consecutiveFailures: number;
}

/**
 * Polls every device on its own timer. The first poll of each device lands at a random point of
 * its interval, later ones at interval ± jitter. A device still being polled when its next turn
 * comes is skipped (and counted), never polled twice at once; devices do not wait for each other.
 */
export class PollScheduler {
  readonly #states = new Map<string, DeviceState>();
  readonly #random: () => number;
  #stopped = false;

  constructor(devices: readonly ScheduledDevice[], private readonly options: SchedulerOptions) {
    this.#random = options.random ?? Math.random;
    for (const device of devices) this.#states.set(device.spec.id, { device, nextAt: 0, baseAt: 0, overruns: 0, consecutiveFailures: 0, startedAt: 0 });
  }

  start(): void {
    const now = steadyNow();
    for (const state of this.#states.values()) {
      state.baseAt = now + this.#random() * state.device.spec.intervalMs;
      state.nextAt = state.baseAt;
      this.#arm(state);
    }
  }

  /** Polls a device now (e.g. after a trap), sharing an in-flight poll rather than starting another. */
  pollNow(deviceId: string): Promise<PollOutcome> | undefined {
    const state = this.#states.get(deviceId);
    return state ? this.#poll(state) : undefined;
  }

  /** Devices whose last turn was skipped because the poll before it was still running. */
  stalledDevices(): number {
    let n = 0;
    for (const state of this.#states.values()) if (state.running && steadyNow() - state.startedAt > state.device.spec.intervalMs) n++;
    return n;
  }

  /** Turns skipped since start, all devices together, because a device's previous poll was still running. */
  overruns(): number {
    let n = 0;
    for (const state of this.#states.values()) n += state.overruns;
    return n;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const state of this.#states.values()) clearTimeout(state.timer);
    await Promise.allSettled([...this.#states.values()].flatMap((s) => (s.running ? [s.running] : [])));
    for (const state of this.#states.values()) state.device.reader.close();
  }

  #arm(state: DeviceState): void {
    if (this.#stopped) return;
    state.timer = setTimeout(() => this.#tick(state), Math.max(0, state.nextAt - steadyNow()));
  }

  #tick(state: DeviceState): void {
    const interval = state.device.spec.intervalMs;
    if (state.running) {
      state.overruns++;
      // A hung device would otherwise log every interval; the first and every tenth are enough.
      if (state.overruns === 1 || state.overruns % 10 === 0) this.options.log.warn({ device: state.device.spec.id, overruns: state.overruns }, 'previous poll still running; this turn skipped');
    } else {
      void this.#poll(state);
    }
    // The schedule advances without jitter so that jitter never accumulates into drift.
    state.baseAt += interval;
    // After a long stall (suspended process), continue from now instead of firing a burst.
    if (state.baseAt < steadyNow()) state.baseAt = steadyNow() + interval;
    state.nextAt = state.baseAt + (this.#random() * 2 - 1) * this.options.jitter * interval;
    this.#arm(state);
  }

  #poll(state: DeviceState): Promise<PollOutcome> {
    if (state.running) return state.running;
    const { spec, reader } = state.device;
    const time = Date.now();
    const started = steadyNow();
    state.startedAt = started;
    state.running = reader
      .read(time)
      .then(
        ({ readings }): PollOutcome => ({ device: spec, time, durationMs: steadyNow() - started, ok: true, readings }),
        (error: unknown): PollOutcome => ({ device: spec, time, durationMs: steadyNow() - started, ok: false, error: (error as Error).message, readings: [] }),
      )
      .then((outcome) => {
        this.#record(state, outcome);
        return outcome;
      })
      .finally(() => {
        state.running = undefined;
      });
    return state.running;
  }

  #record(state: DeviceState, outcome: PollOutcome): void {
    const id = outcome.device.id;
    // One line per poll at trace level: what a drill counts its expected points from.
    this.options.log.trace({ device: id, polled_at: outcome.time, ok: outcome.ok }, 'poll done');
    if (!outcome.ok) {
      state.consecutiveFailures++;
      if (state.consecutiveFailures === 1) this.options.log.warn({ device: id, err: outcome.error }, 'device not answering; marked down');
    } else if (state.consecutiveFailures > 0) {
      this.options.log.info({ device: id, after: state.consecutiveFailures }, 'device answering again; marked up');
      state.consecutiveFailures = 0;
    }
    try {
      this.options.onPoll({ ...outcome, readings: [...outcome.readings, ...healthReadings(outcome)] });
    } catch (error) {
      // A consumer's fault must not stop polling.
      this.options.log.error({ device: id, err: (error as Error).message }, 'poll consumer failed');
    }
  }
}
