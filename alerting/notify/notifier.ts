import type { NotifyEvent } from '../incidents/incident.js';
import type { TObject, Static } from '@sinclair/typebox';
import type { Secret } from '../../common/config/secret.js';
import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';
import type { Language, RenderContext } from './render-common.js';

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

/** The settings every receiver has, whatever its type; a notifier's settings extend them. */
export interface ReceiverBase {
  id: string;
  type: string;
  language: Language;
  timeoutMs: number;
}

/** What a notifier's compile step may use: secrets resolved the same way everywhere, located issues. */
export interface ReceiverCompileContext {
  readonly source: YamlSource;
  /** Where this receiver sits in the file (e.g. ['alerting', 'receivers', 2]). */
  readonly at: readonly PathSegment[];
  /** The config file's folder, for relative paths such as a CA file. */
  readonly baseDir: string;
  readonly issues: ConfigIssue[];
  /** Resolves a string or { env: NAME } at `at` + key; a missing variable becomes an issue there. */
  secret(value: string | { env: string }, key: readonly PathSegment[]): Secret;
}

/** Which ids a rendered message needs: the receiver's, and the notification's (Alertmanager groupKey). */
export interface MessageIds {
  receiver: string;
  notification: string;
}

/**
 * One kind of receiver (e-mail, webhook, a chat robot): its config keys, how they become settings,
 * how events become a message and how a message is sent. Listed once, in registry.ts; nothing else
 * in the product branches on a receiver's type.
 */
export interface NotifierDefinition<Keys extends TObject = TObject, Settings extends ReceiverBase = ReceiverBase> {
  /** `receivers[].type` in the config. */
  readonly type: Settings['type'];
  /** How the type reads in the schema's description, e.g. "webhook (Alertmanager format)". */
  readonly summary: string;
  /** The keys beyond id, type, language and timeout, validated strictly; defaults live here. */
  readonly schema: Keys;
  compile(input: Static<Keys>, base: ReceiverBase, ctx: ReceiverCompileContext): Settings;
  render(events: readonly NotifyEvent[], context: RenderContext, ids: MessageIds): OutboundMessage;
  create(settings: Settings, deps: NotifierDeps): Notifier;
}

export interface NotifierDeps {
  /** Wall-clock time for request signatures that the far end checks against its own clock. */
  wall: () => number;
}
