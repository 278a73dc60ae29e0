import type { NotifyEvent } from '../incidents/incident.js';
import { dingtalk } from './dingtalk/notifier.js';
import { email } from './email/notifier.js';
import { feishu } from './feishu/notifier.js';
import type { MessageIds, Notifier, NotifierDefinition, NotifierDeps, OutboundMessage } from './notifier.js';
import type { RenderContext } from './render-common.js';
import { webhook } from './webhook/notifier.js';
import { wecom } from './wecom/notifier.js';

/**
 * Every kind of receiver, once. The order is the order the config's `type` description lists them
 * in. A new notifier is its folder plus one line here.
 */
export const NOTIFIERS = [email, webhook, wecom, dingtalk, feishu] as const;

type Definitions = (typeof NOTIFIERS)[number];
/** A receiver's compiled settings: one member per notifier, told apart by `type`. */
export type ReceiverSettings = ReturnType<Definitions['compile']>;
export type ReceiverType = ReceiverSettings['type'];

export const RECEIVER_TYPES: readonly ReceiverType[] = NOTIFIERS.map((n) => n.type);

/**
 * The definition for a type. The config schema admits only the listed types, so an unknown one
 * here is a programming error. Typed loosely on purpose: the pairing of a definition with its own
 * settings is guaranteed by `type`, which TypeScript cannot follow through an array lookup.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function notifierFor(type: string): NotifierDefinition<any, any> {
  const found = NOTIFIERS.find((n) => n.type === type);
  if (!found) throw new Error(`no notifier for receiver type "${type}"`);
  return found;
}

export function createNotifier(settings: ReceiverSettings, deps: NotifierDeps = { wall: Date.now }): Notifier {
  return notifierFor(settings.type).create(settings, deps);
}

export function renderFor(settings: ReceiverSettings, events: readonly NotifyEvent[], context: RenderContext, ids: MessageIds): OutboundMessage {
  return notifierFor(settings.type).render(events, context, ids);
}
