import { isIncidentEvent, type NotifyEvent } from '../../incidents/incident.js';
import type { Gatherer, Group, Notice, StageContext } from '../stage.js';

interface Gathering extends Group {
  /** When group_wait is over (its first notice plus the wait). */
  readonly waitedAt: number;
  /** notBefore of its alerts' notices that wait for an incident, by alert key. */
  readonly holds: Map<string, number>;
  dueAt: number;
}

/**
 * group_wait: a burst of changes in one room reaches each receiver as one message. Groups are
 * keyed by receiver, escalation tier, and site and room — or the incident, whose notices make one
 * message however many alerts they came from. Each is due `waitMs` after its first notice, and not
 * before the latest `notBefore` of its notices (an alert waiting for its incident).
 */
export class RoomGatherer implements Gatherer {
  // Insertion order is opening order: groups due together go out in the order they opened.
  readonly #groups = new Map<string, Gathering>();

  constructor(private readonly waitMs: number) {}

  add(notices: readonly Notice[], ctx: StageContext): void {
    for (const { event, tier, receiver, notBefore } of notices) {
      if (!receiver) continue;
      const key = `${receiver}|${tier}|${this.#place(event, ctx)}`;
      let group = this.#groups.get(key);
      if (!group) {
        group = { receiver, tier, events: [], waitedAt: ctx.now + this.waitMs, holds: new Map(), dueAt: ctx.now + this.waitMs };
        this.#groups.set(key, group);
      }
      // Every alert of an incident brings its opening: the message says it once.
      if (!group.events.some((e) => sameIncidentNotice(e, event))) group.events.push(event);
      if (notBefore !== undefined && !isIncidentEvent(event)) {
        group.holds.set(event.alert.key, notBefore);
        group.dueAt = Math.max(group.dueAt, notBefore);
      }
    }
  }

  due(ctx: StageContext): Group[] {
    const due: Group[] = [];
    for (const [key, group] of this.#groups) {
      if (group.dueAt > ctx.now) continue;
      this.#groups.delete(key);
      due.push(group);
    }
    return due;
  }

  drain(): Group[] {
    const all = [...this.#groups.values()];
    this.#groups.clear();
    return all;
  }

  nextWakeAt(): number | undefined {
    let next: number | undefined;
    for (const { dueAt } of this.#groups.values()) if (next === undefined || dueAt < next) next = dueAt;
    return next;
  }

  waiting(): readonly NotifyEvent[] {
    return [...this.#groups.values()].flatMap((g) => g.events);
  }

  claim(alertKey: string): boolean {
    let claimed = false;
    for (const [key, group] of this.#groups) {
      const kept = group.events.filter((e) => isIncidentEvent(e) || e.kind !== 'opened' || e.alert.key !== alertKey);
      if (kept.length === group.events.length) continue;
      claimed = true;
      if (!kept.length) {
        this.#groups.delete(key);
        continue;
      }
      group.events.splice(0, group.events.length, ...kept);
      // The rest of the room's alerts no longer wait for the one that joined.
      group.holds.delete(alertKey);
      group.dueAt = Math.max(group.waitedAt, ...group.holds.values());
    }
    return claimed;
  }

  #place(event: NotifyEvent, ctx: StageContext): string {
    if (isIncidentEvent(event)) return `incident:${event.incident.id}`;
    const info = ctx.view.device(event.alert.device);
    return `${info.site}|${info.room}`;
  }
}

function sameIncidentNotice(a: NotifyEvent, b: NotifyEvent): boolean {
  return isIncidentEvent(a) && isIncidentEvent(b) && a.incident.id === b.incident.id && a.kind === b.kind;
}
