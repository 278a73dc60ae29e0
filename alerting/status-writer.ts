import type { Logger } from 'pino';
import type { Component } from '../common/lifecycle.js';
import type { Reading } from '../common/contracts/reading.js';
import { ALERT_STATUS_INTERVAL_MS } from '../common/contracts/stored.js';
import type { Alert } from './alerts.js';
import { alertStatusReadings, type StatusPlaces } from './status-points.js';

export interface AlertStatusDeps {
  active: () => readonly Alert[];
  places: StatusPlaces;
  /** Where the readings go: the sink, so they pass through the spool like polled readings. */
  write: (readings: readonly Reading[]) => void;
  log: Logger;
  intervalMs?: number;
  now?: () => number;
}

/**
 * Writes `alert_status` (status-points.ts) at start and every ALERT_STATUS_INTERVAL_MS while it
 * runs. A reload stops this one and starts one with the new rooms.
 */
export class AlertStatusWriter implements Component {
  readonly name = 'alert_status';
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: AlertStatusDeps) {}

  start(): void {
    this.#tick();
    this.#timer = setInterval(() => this.#tick(), this.deps.intervalMs ?? ALERT_STATUS_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    try {
      this.deps.write(alertStatusReadings(this.deps.active(), this.deps.places, (this.deps.now ?? Date.now)()));
    } catch (error) {
      // A bug here must not stop the timer or the daemon: the next tick tries again.
      this.deps.log.error({ err: (error as Error).message }, 'alert_status not written');
    }
  }
}
