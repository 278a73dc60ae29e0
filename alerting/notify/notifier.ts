/** A rendered notification, ready to send; stored in the outbox as it is. */
export type OutboundMessage =
  | { type: 'email'; subject: string; text: string; html: string }
  | { type: 'json'; body: unknown };

/** A failed delivery, with the notifier's judgement on whether trying again can help. */
export class DeliveryError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

/** Sends one message; `key` is the notification's idempotency key (same key = same notification). */
export interface Notifier {
  readonly id: string;
  send(message: OutboundMessage, key: string): Promise<void>;
}
