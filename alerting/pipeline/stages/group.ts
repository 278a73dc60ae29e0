import type { AlertEvent } from '../../alerts.js';
import type { Gatherer, Group, Notice, StageContext } from '../stage.js';

interface Gathering extends Group {
  readonly dueAt: number;
}

/**
 * group_wait: a burst of changes in one room reaches each receiver as one message. Groups are
 * keyed by receiver, escalation tier, site and room; each is due `waitMs` after its first notice.
 */
export class RoomGatherer implements Gatherer {
  // Insertion order is opening order: groups due together go out in the order they opened.
  readonly #groups = new Map<string, Gathering>();

  constructor(private readonly waitMs: number) {}

  add(notices: readonly Notice[], ctx: StageContext): void {
    for (const { event, tier, receiver } of notices) {
      if (!receiver) continue;
      const info = ctx.view.device(event.alert.device);
      const key = `${receiver}|${tier}|${info.site}|${info.room}`;
      const group = this.#groups.get(key);
      if (group) group.events.push(event);
      else this.#groups.set(key, { receiver, tier, events: [event], dueAt: ctx.now + this.waitMs });
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

  waiting(): readonly AlertEvent[] {
    return [...this.#groups.values()].flatMap((g) => g.events);
  }
}
