import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DeliveryError, type Notifier, type OutboundMessage } from '../notify/notifier.js';
import type { JournalRecord, OutboxEntry } from '../state/records.js';
import { BACKOFF_MS, Sender } from './sender.js';

const message: OutboundMessage = { type: 'json', body: {} };
const entry = (id: string, receiver: string, createdAt: number): OutboxEntry => ({ id, receiver, message, createdAt, attempts: 0, nextAt: createdAt });

/** A transport that answers from a script: 'ok', 'retry' (a retryable failure) or 'fatal'. */
function scripted(id: string, answers: Array<'ok' | 'retry' | 'fatal'>): Notifier & { keys: string[] } {
  const keys: string[] = [];
  return {
    id, keys,
    send(_message, key) {
      keys.push(key);
      const answer = answers.shift() ?? 'ok';
      if (answer === 'ok') return Promise.resolve();
      return Promise.reject(new DeliveryError(`${id} said ${answer}`, answer === 'retry'));
    },
  };
}

function sender(notifiers: Notifier[]) {
  const journal: JournalRecord[] = [];
  const clock = { now: 1_000 };
  const s = new Sender({ notifier: (id) => notifiers.find((n) => n.id === id), journal: { append: (...r) => journal.push(...r) }, now: () => clock.now, log: pino({ level: 'silent' }) });
  return { s, journal, clock };
}

describe('sender', () => {
  it('delivers oldest first and journals each delivery as done', async () => {
    const hook = scripted('hook', []);
    const { s, journal } = sender([hook]);
    s.restore([entry('n2', 'hook', 900), entry('n1', 'hook', 800)]);
    s.kick();
    await s.idle();
    expect(hook.keys).toEqual(['n1', 'n2']);
    expect(journal).toEqual([{ t: 'done', id: 'n1', at: 1_000 }, { t: 'done', id: 'n2', at: 1_000 }]);
    expect(s.size).toBe(0);
  });

  it('retries a retryable failure after the next backoff step, from the tick, until it is delivered', async () => {
    const hook = scripted('hook', ['retry', 'retry', 'retry']);
    const { s, journal, clock } = sender([hook]);
    s.queue(entry('n1', 'hook', 1_000));
    await s.idle();
    expect([...s.entries()]).toMatchObject([{ attempts: 1, nextAt: 1_000 + BACKOFF_MS[0], lastError: 'hook said retry' }]);
    s.kickIfDue((clock.now += BACKOFF_MS[0] - 1));
    await s.idle();
    expect(hook.keys).toHaveLength(1);
    for (const wait of [1, BACKOFF_MS[1]]) {
      s.kickIfDue((clock.now += wait));
      await s.idle();
    }
    expect(s.failing()).toBe(1);
    s.kickIfDue((clock.now += BACKOFF_MS[2]));
    await s.idle();
    expect(hook.keys).toEqual(['n1', 'n1', 'n1', 'n1']);
    expect(journal).toEqual([{ t: 'done', id: 'n1', at: clock.now }]);
    expect(s.failing()).toBe(0);
  });

  it('gives up a permanent failure at once, and a notification for a receiver no longer configured', async () => {
    const hook = scripted('hook', ['fatal']);
    const { s, journal } = sender([hook]);
    s.restore([entry('n1', 'hook', 100), entry('n2', 'gone', 200)]);
    s.kick();
    await s.idle();
    expect(journal).toEqual([
      { t: 'failed', id: 'n1', at: 1_000, error: 'hook said fatal' },
      { t: 'failed', id: 'n2', at: 1_000, error: 'receiver gone no longer configured' },
    ]);
    expect(s.size).toBe(0);
    expect(s.failing()).toBe(1);
  });
});

describe('sender attempts (the daemon metric roomwatch_notifications_total)', () => {
  it('counts each delivery as sent and each failed attempt as failed, per receiver', async () => {
    const hook = scripted('hook', ['retry', 'ok']);
    const mail = scripted('mail', ['fatal']);
    const { s, clock } = sender([hook, mail]);
    s.restore([entry('n1', 'hook', 100), entry('n2', 'mail', 200), entry('n3', 'gone', 300)]);
    s.kick();
    await s.idle();
    s.kickIfDue((clock.now += BACKOFF_MS[0]));
    await s.idle();
    expect(Object.fromEntries(s.attempts())).toEqual({ hook: { sent: 1, failed: 1 }, mail: { sent: 0, failed: 1 } });
  });
});
