import { createHash } from 'node:crypto';
import type { Directory } from '../../notify/directory.js';
import { renderFor, type ReceiverSettings } from '../../notify/registry.js';
import type { JournalRecord, OutboxEntry } from '../../state/records.js';
import { wallAt, type Group, type StageContext } from '../stage.js';

/** What rendering needs besides the events: each receiver's settings and how to name things. */
export interface OutboxRendering {
  readonly receivers: ReadonlyMap<string, ReceiverSettings>;
  readonly directory: Directory;
  readonly consoleUrl?: string;
  readonly timeZone?: string;
}

/**
 * A due group becomes one rendered notification (through the receiver type's renderer in the
 * registry) and the journal records that queue it. The id is a hash of what the message says, so
 * the same group rendered again after a crash is the same notification to the receiver.
 *
 * The caller appends `records` in one write: the `out` entry and the marks on its alerts are then
 * either both on disk or neither, after a crash.
 */
export function queueGroup(group: Group, ctx: Pick<StageContext, 'now' | 'wall'>, rendering: OutboxRendering): { entry: OutboxEntry; records: JournalRecord[] } {
  const receiver = rendering.receivers.get(group.receiver)!;
  const identity = group.events.map((e) => `${e.alert.id}:${e.kind}:${e.at}`).join(',');
  const id = `${receiver.id}-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
  const context = { language: receiver.language, directory: rendering.directory, consoleUrl: rendering.consoleUrl, timeZone: rendering.timeZone, toWall: (t: number) => wallAt(t, ctx) };
  const message = renderFor(receiver, group.events, context, { receiver: receiver.id, notification: id });
  const entry: OutboxEntry = { id, receiver: receiver.id, message, createdAt: ctx.now, attempts: 0, nextAt: ctx.now };
  // Only first-tier sends count for repeats; an escalation is not a reminder to the on-duty engineer.
  if (group.tier === 0) for (const e of group.events) e.alert.lastSentAt = ctx.now;
  const marks = group.events.map((e) => ({ t: 'alert' as const, alert: e.alert }));
  return { entry, records: [{ t: 'out', entry }, ...marks] };
}
