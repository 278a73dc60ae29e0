/** How many failed authentications one address may make within the window before it must wait. */
export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 5 * 60_000;
/** Addresses tracked at most; beyond it the one that failed longest ago is forgotten (memory stays bounded). */
const MAX_ADDRESSES = 10_000;

/**
 * Failed authentications per client address over a sliding window. Written here rather than taken
 * from @fastify/rate-limit, which counts every request: here only failures count, so a console or a
 * Prometheus scrape making many good requests is never slowed, and a wrong token is.
 */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly max = MAX_FAILURES,
    private readonly windowMs = FAILURE_WINDOW_MS,
  ) {}

  /** Seconds the address must wait before trying again; 0 when it may try now. */
  retryAfter(address: string): number {
    const times = this.#recent(address);
    if (times.length < this.max) return 0;
    // The oldest failure still counted leaves the window first and frees one attempt.
    return Math.max(1, Math.ceil((times[times.length - this.max]! + this.windowMs - this.now()) / 1000));
  }

  fail(address: string): void {
    const times = this.#recent(address);
    times.push(this.now());
    // Re-inserted so the map's first entry is the address that failed longest ago.
    this.#failures.delete(address);
    this.#failures.set(address, times.slice(-this.max));
    if (this.#failures.size > MAX_ADDRESSES) this.#failures.delete(this.#failures.keys().next().value!);
  }

  #recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    const times = (this.#failures.get(address) ?? []).filter((t) => t > since);
    if (!times.length) this.#failures.delete(address);
    return times;
  }
}
