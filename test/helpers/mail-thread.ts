import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Notifier, OutboundMessage } from '../../alerting/notify/notifier.js';

/** A mail as the catcher received it: envelope recipients, parsed subject and text, and the raw message. */
export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

// smtp-server waits 100 ms on a timer before its greeting (and arms more): under a test's fake
// timers, a catcher in the test's own thread would never greet. A worker thread has its own
// timers, so the SMTP conversation runs in real time while the test's clock stands still.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { SMTPServer } = require(workerData.smtpServer);
const { simpleParser } = require(workerData.mailparser);
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  disableReverseLookup: true,
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      simpleParser(raw).then((mail) => {
        parentPort.postMessage({ mail: { to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject ?? '', text: mail.text ?? '', raw } });
        callback();
      }, callback);
    });
  },
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.server.address().port }));
`;

/** An in-process SMTP server (smtp-server in a worker thread) that keeps every mail it accepts. */
export class ThreadedMailCatcher {
  readonly mails: CaughtMail[] = [];
  port = 0;
  #worker: Worker | undefined;
  #waiters: Array<() => void> = [];

  async start(): Promise<void> {
    const require = createRequire(import.meta.url);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { smtpServer: require.resolve('smtp-server'), mailparser: require.resolve('mailparser') } });
    this.#worker = worker;
    this.port = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: { port?: number; mail?: CaughtMail }) => {
        if (message.port) resolve(message.port);
        if (message.mail) {
          this.mails.push(message.mail);
          for (const wake of this.#waiters.splice(0)) wake();
        }
      });
    });
  }

  /** The mails to `address`, in the order they arrived. */
  to(address: string): CaughtMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  /** Resolves once `count` mails to `address` have arrived (the SMTP reply may overtake the worker's message). */
  async received(address: string, count: number): Promise<CaughtMail[]> {
    while (this.to(address).length < count) await new Promise<void>((wake) => this.#waiters.push(wake));
    return this.to(address);
  }

  async stop(): Promise<void> {
    await this.#worker?.terminate();
  }
}

/**
 * A receiver's real notifier, watched: how many messages it delivered, and a promise for the sends
 * in flight, so a test on a fake clock can let an SMTP conversation finish before moving time on.
 */
export class WatchedNotifier implements Notifier {
  readonly id: string;
  delivered = 0;
  failures: string[] = [];
  readonly #inFlight = new Set<Promise<void>>();

  constructor(private readonly inner: Notifier) {
    this.id = inner.id;
  }

  send(message: OutboundMessage, key: string): Promise<void> {
    const sending = this.inner.send(message, key);
    const watched = sending.then(
      () => {
        this.delivered++;
      },
      (error: Error) => {
        this.failures.push(error.message);
      },
    );
    const tracked = watched.then(() => {
      this.#inFlight.delete(tracked);
    });
    this.#inFlight.add(tracked);
    return sending;
  }

  /** Resolves when no send is in flight (sends started meanwhile included). */
  async settled(): Promise<void> {
    while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
  }
}

/**
 * Keeps the messages the engine rendered for an e-mail receiver instead of sending them: the same
 * subject and text the real notifier would hand to SMTP, for runs that test what is sent, not how.
 */
export class RecordingNotifier implements Notifier {
  readonly mails: CaughtMail[] = [];

  constructor(readonly id: string, private readonly address: string) {}

  send(message: OutboundMessage): Promise<void> {
    if (message.type !== 'email') return Promise.reject(new Error(`receiver ${this.id} got a ${message.type} message`));
    this.mails.push({ to: [this.address], subject: message.subject, text: message.text, raw: '' });
    return Promise.resolve();
  }
}
