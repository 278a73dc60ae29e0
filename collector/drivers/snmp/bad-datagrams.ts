import type { Logger } from 'pino';

interface PeerCount {
  total: number;
  sinceLine: number;
  lastLineAt: number;
  lastReason: string;
}

/**
 * Counts datagrams a peer sent that could not be used (garbage, truncated, wrong PDU) and logs
 * them at a bounded rate: the first from a peer at once, then at most one summary line per peer
 * per `intervalMs` with the count since the previous line. A flooding or broken agent costs a
 * counter increment per datagram, not a log line.
 */
export class BadDatagramLog {
  readonly #peers = new Map<string, PeerCount>();

  constructor(
    private readonly log: Logger,
    private readonly message: string,
    private readonly intervalMs = 60_000,
    // The rate limit is a duration: on the monotonic clock, so a wall-clock step back cannot
    // silence the summaries for the length of the step.
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one bad datagram from `peer` ("host:port"), logging when the rate allows. */
  record(peer: string, reason: string, context: Record<string, unknown> = {}): void {
    const now = this.now();
    let count = this.#peers.get(peer);
    if (!count) {
      count = { total: 0, sinceLine: 0, lastLineAt: now, lastReason: reason };
      this.#peers.set(peer, count);
      count.total++;
      this.log.warn({ ...context, peer, err: reason }, `${this.message} (first from this peer; later ones are counted and summarised)`);
      return;
    }
    count.total++;
    count.sinceLine++;
    count.lastReason = reason;
    if (now - count.lastLineAt >= this.intervalMs) this.#summarise(peer, count, now, context);
  }

  /** Logs what was counted but not yet logged (on stop), so no count goes unreported. */
  flush(): void {
    const now = this.now();
    for (const [peer, count] of this.#peers) if (count.sinceLine > 0) this.#summarise(peer, count, now, {});
  }

  /** Bad datagrams per peer since start. */
  totals(): Record<string, number> {
    return Object.fromEntries([...this.#peers].map(([peer, count]) => [peer, count.total]));
  }

  #summarise(peer: string, count: PeerCount, now: number, context: Record<string, unknown>): void {
    this.log.warn({ ...context, peer, count: count.sinceLine, total: count.total, seconds: Math.round((now - count.lastLineAt) / 1000), last_err: count.lastReason }, `${this.message} (summary)`);
    count.sinceLine = 0;
    count.lastLineAt = now;
  }
}
