/**
 * Simulated time: runs `scale` times faster than the wall clock from a chosen start, so a one-hour
 * outage plays in one minute at 60×. Everything in the simulation reads time from here.
 */
export class SimClock {
  #wallStart: number;
  #simStart: number;

  constructor(public scale = 1, simStart = Date.now(), private readonly wall: () => number = Date.now) {
    this.#wallStart = wall();
    this.#simStart = simStart;
  }

  now(): number {
    return this.#simStart + (this.wall() - this.#wallStart) * this.scale;
  }

  /** Changes speed without a jump in simulated time. */
  setScale(scale: number): void {
    this.#simStart = this.now();
    this.#wallStart = this.wall();
    this.scale = scale;
  }
}
