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
 * The caller appends `records` in one write: the `out` entry and the marks on its alerts (`told`,
 * `lastSentAt`) are then either both on disk or neither, after a crash.
 *
 * An opening whose alert resolved while it waited is no longer news, and its recovery went to nobody
 * (nobody had been told): it is left out, and a group left with nothing to say queues nothing.
 */
export function queueGroup(group: Group, ctx: Pick<StageContext, 'now' | 'wall'>, rendering: OutboxRendering): { entry: OutboxEntry; records: JournalRecord[] } | undefined {
  const events = group.events.filter((e) => !(e.kind === 'opened' && e.alert.status === 'resolved'));
  if (!events.length) return undefined;
  const receiver = rendering.receivers.get(group.receiver)!;
  const identity = events.map((e) => `${e.alert.id}:${e.kind}:${e.at}`).join(',');
  const id = `${receiver.id}-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
  const context = { language: receiver.language, directory: rendering.directory, consoleUrl: rendering.consoleUrl, timeZone: rendering.timeZone, toWall: (t: number) => wallAt(t, ctx) };
  const message = renderFor(receiver, events, context, { receiver: receiver.id, notification: id });
  const entry: OutboxEntry = { id, receiver: receiver.id, message, createdAt: ctx.now, attempts: 0, nextAt: ctx.now };
  for (const e of events) {
    // Only first-tier sends count for repeats; an escalation is not a reminder to the on-duty engineer.
    if (group.tier === 0) e.alert.lastSentAt = ctx.now;
    // A flapping notice may be the first anyone hears of an alert (it started flapping as it opened): its end is news to them too.
    if ((e.kind === 'opened' || e.kind === 'flapping') && !e.alert.told?.includes(receiver.id)) e.alert.told = [...(e.alert.told ?? []), receiver.id];
  }
  const marks = events.map((e) => ({ t: 'alert' as const, alert: e.alert }));
  return { entry, records: [{ t: 'out', entry }, ...marks] };
}
