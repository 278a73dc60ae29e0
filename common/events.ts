import type { Logger } from 'pino';

type Handler<Payload> = (payload: Payload) => void;

interface Subscription {
  owner: string;
  handler: Handler<never>;
}

/**
 * A typed, synchronous event bus: parts of the daemon publish what happened (a poll, a trap)
 * without knowing who listens. Handlers run in subscription order, inside emit(), so the order
 * the composition root subscribes in is the order things happen (the sink before alerting).
 * A handler that throws is logged with its owner and skipped: one faulty listener cannot keep
 * the others from hearing the event, nor crash the publisher.
 */
export class EventBus<Events extends object> {
  readonly #subscriptions = new Map<keyof Events, Subscription[]>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Subscribes `owner` (named in the log when its handler fails); returns the unsubscribe. */
  on<Name extends keyof Events>(name: Name, owner: string, handler: Handler<Events[Name]>): () => void {
    const subscription: Subscription = { owner, handler };
    const list = this.#subscriptions.get(name) ?? [];
    list.push(subscription);
    this.#subscriptions.set(name, list);
    return () => {
      const current = this.#subscriptions.get(name);
      if (current) this.#subscriptions.set(name, current.filter((s) => s !== subscription));
    };
  }

  emit<Name extends keyof Events>(name: Name, payload: Events[Name]): void {
    // A copy: a handler that subscribes or unsubscribes changes the next emit, not this one.
    for (const { owner, handler } of [...(this.#subscriptions.get(name) ?? [])]) {
      try {
        (handler as Handler<Events[Name]>)(payload);
      } catch (error) {
        this.#log.error({ event: String(name), owner, err: error instanceof Error ? error.message : String(error) }, 'event handler failed (bug); the other handlers still ran');
      }
    }
  }
}
