import type { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => void;

/**
 * Runs an emitter's current listeners for `event` inside a try/catch, so a library's handler of
 * peer input cannot throw out of the event loop. Libraries attach their socket listeners when they
 * create the socket; this replaces them with one wrapper calling them in the same order.
 */
export function guardListeners(emitter: EventEmitter, event: string, onThrow: (error: unknown, args: unknown[]) => void): void {
  const listeners = emitter.listeners(event) as Listener[];
  emitter.removeAllListeners(event);
  emitter.on(event, (...args: unknown[]) => {
    for (const listener of listeners) {
      try {
        listener.apply(emitter, args);
      } catch (error) {
        onThrow(error, args);
      }
    }
  });
}
