import type { Logger } from 'pino';
import { DeliveryError, type Notifier } from '../notify/notifier.js';
import type { JournalRecord, OutboxEntry } from '../state/records.js';

/** Waits after the 1st, 2nd, … failed attempt; the last one repeats. */
export const BACKOFF_MS = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000] as const;

export interface SenderDeps {
  /** The transport for a receiver id; undefined once the receiver is no longer configured. */
  notifier(receiver: string): Notifier | undefined;
  journal: { append(...records: JournalRecord[]): void };
  /** Steady time (AlertClock.now): backoff is a duration, so a wall-clock step changes none. */
  now: () => number;
  log: Logger;
}

/**
 * The outbox and its delivery: entries are journaled before they get here, each send's outcome
 * (`done`, `failed`) is journaled after. A retryable failure waits the next backoff step; a
 * permanent one is given up at once and counted (self-monitoring alarms on it). One send round
 * runs at a time, oldest entry first.
 */
export class Sender {
  readonly #outbox = new Map<string, OutboxEntry>();
  #sending: Promise<void> | undefined;
  #failedDeliveries = 0;
  /** Delivery attempts per receiver id since start, for the daemon's metrics. */
  readonly #attempts = new Map<string, { sent: number; failed: number }>();

  constructor(private readonly deps: SenderDeps) {}

  /** Takes over entries replayed from the journal (not journaled again). */
  restore(entries: Iterable<OutboxEntry>): void {
    for (const entry of entries) this.#outbox.set(entry.id, entry);
  }

  /** Adds an entry already journaled as `out` and starts sending. */
  queue(entry: OutboxEntry): void {
    this.#outbox.set(entry.id, entry);
    this.kick();
  }

  get size(): number {
    return this.#outbox.size;
  }

  entries(): IterableIterator<OutboxEntry> {
    return this.#outbox.values();
  }

  /** Attempts per receiver id since start: `sent` delivered, `failed` once per failed attempt. */
  attempts(): ReadonlyMap<string, { readonly sent: number; readonly failed: number }> {
    return this.#attempts;
  }

  #count(receiver: string, outcome: 'sent' | 'failed'): void {
    const counts = this.#attempts.get(receiver) ?? { sent: 0, failed: 0 };
    counts[outcome]++;
    this.#attempts.set(receiver, counts);
  }

  /** Notifications given up for good, plus those failing for the third time or more. */
  failing(): number {
    let retrying = 0;
    for (const entry of this.#outbox.values()) if (entry.attempts >= 3) retrying++;
    return this.#failedDeliveries + retrying;
  }

  /** Starts a send round if none runs; the round goes on while anything is due. */
  kick(): void {
    if (this.#sending) return;
    this.#sending = this.#sendDue().finally(() => {
      this.#sending = undefined;
    });
  }

  /** For the engine's tick: starts a round if a retry has come due. */
  kickIfDue(now: number): void {
    for (const entry of this.#outbox.values()) {
      if (entry.nextAt <= now) return this.kick();
    }
  }

  /** Resolves when the round in progress (if any) is over. */
  async idle(): Promise<void> {
    await this.#sending;
  }

  async #sendDue(): Promise<void> {
    const { journal, log } = this.deps;
    for (;;) {
      const now = this.deps.now();
      const due = [...this.#outbox.values()].filter((e) => e.nextAt <= now).sort((a, b) => a.createdAt - b.createdAt);
      if (!due.length) return;
      for (const entry of due) {
        const notifier = this.deps.notifier(entry.receiver);
        if (!notifier) {
          journal.append({ t: 'failed', id: entry.id, at: now, error: `receiver ${entry.receiver} no longer configured` });
          this.#outbox.delete(entry.id);
          continue;
        }
        try {
          await notifier.send(entry.message, entry.id);
          journal.append({ t: 'done', id: entry.id, at: this.deps.now() });
          this.#outbox.delete(entry.id);
          this.#count(entry.receiver, 'sent');
          if (entry.attempts) log.info({ notification: entry.id, attempts: entry.attempts + 1 }, 'notification delivered after retries');
        } catch (error) {
          entry.attempts++;
          entry.lastError = (error as Error).message;
          this.#count(entry.receiver, 'failed');
          const retryable = !(error instanceof DeliveryError) || error.retryable;
          if (!retryable) {
            this.#failedDeliveries++;
            journal.append({ t: 'failed', id: entry.id, at: this.deps.now(), error: entry.lastError });
            this.#outbox.delete(entry.id);
            log.error({ notification: entry.id, receiver: entry.receiver, err: entry.lastError }, 'notification failed permanently');
          } else {
            entry.nextAt = this.deps.now() + BACKOFF_MS[Math.min(entry.attempts - 1, BACKOFF_MS.length - 1)]!;
            if (entry.attempts === 1 || entry.attempts % 10 === 0) log.warn({ notification: entry.id, receiver: entry.receiver, attempts: entry.attempts, err: entry.lastError }, 'notification not delivered; will retry');
          }
        }
      }
    }
  }
}
