import type { Logger } from 'pino';
import type { Alert } from '../alerts.js';
import { isIncidentEvent, type Incident, type NotifyEvent } from '../incidents/incident.js';
import type { JournalRecord } from '../state/records.js';
import { NOTIFY_STAGES, runStages } from './compose.js';
import type { Sender } from './sender.js';
import type { AlertView, Gatherer, Group, IncidentTick, IncidentTickContext, StageContext, Tick, TickContext } from './stage.js';
import { queueGroup, type OutboxRendering } from './stages/outbox.js';

export interface RunnerDeps {
  view: AlertView;
  /** Steady time and the wall clock (AlertClock). */
  now: () => number;
  wall: () => number;
  journal: { append(...records: JournalRecord[]): void };
  log: Logger;
  gatherer: Gatherer;
  rendering: OutboxRendering;
  sender: Sender;
}

/**
 * The notification path's I/O shell: takes the time, runs the stages (compose.ts), journals and
 * logs what they hold, and keeps ONE timer, on the gatherer's earliest wake-up, so group_wait is
 * exact (fake timers included) and no tick polls the groups.
 */
export class NotificationRunner {
  #wake: { at: number; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly deps: RunnerDeps) {}

  /** The stages' context at this moment; `hold` journals the alert and logs why. */
  context(): StageContext {
    const { journal, log } = this.deps;
    return {
      now: this.deps.now(),
      wall: this.deps.wall(),
      view: this.deps.view,
      hold: (alert, kind, reason) => {
        journal.append({ t: 'alert', alert });
        log.info({ alert: alert.id, rule: alert.rule, device: alert.device, [kind === 'muted' ? 'muted' : 'reason']: reason }, `alert not notified (${kind})`);
      },
    };
  }

  /** One event for escalation tier `tier`: mute, inhibit, fold and route, then gathered for its receivers. */
  dispatch(event: NotifyEvent, tier: number): void {
    const ctx = this.context();
    let held = false;
    const watched: StageContext = {
      ...ctx,
      hold: (alert, kind, reason) => {
        held = true;
        ctx.hold(alert, kind, reason);
      },
    };
    const routed = runStages(NOTIFY_STAGES, [{ event, tier }], watched);
    this.deps.gatherer.add(routed, ctx);
    // Nobody to tell: record that the notice is settled, so a restart does not raise it again.
    if (!routed.length && !held) this.deps.journal.append(isIncidentEvent(event) ? { t: 'incident', incident: event.incident } : { t: 'alert', alert: event.alert });
    this.#arm(ctx.now);
  }

  /** The alert joined an incident: a notice of it still gathering is taken back (the incident's message lists it). */
  claim(alertKey: string): void {
    if (!this.deps.gatherer.claim(alertKey)) return;
    // Its group may be gone, or due sooner now that it no longer waits for this alert.
    clearTimeout(this.#wake?.timer);
    this.#wake = undefined;
    this.#arm(this.deps.now());
  }

  /**
   * Runs the ticks over the active alerts at `at` (the engine's tick): each alert through them in
   * order, its notices dispatched before the next tick looks at it, as one loop did before.
   */
  tick(ticks: readonly Tick[], active: readonly Alert[], at: { now: number; wall: number }, repeatIntervalMs: number): void {
    const ctx: TickContext = { ...this.context(), ...at, repeatIntervalMs, save: (alert) => this.deps.journal.append({ t: 'alert', alert }) };
    for (const alert of active) {
      for (const run of ticks) {
        const { notices, last } = run(alert, ctx);
        for (const notice of notices) this.dispatch(notice.event, notice.tier);
        if (last) break;
      }
    }
  }

  /** Runs the incidents' ticks over the active incidents at `at`, as `tick` does for alerts. */
  tickIncidents(ticks: readonly IncidentTick[], active: readonly Incident[], at: { now: number; wall: number }, repeatIntervalMs: number): void {
    const ctx: IncidentTickContext = { ...this.context(), ...at, repeatIntervalMs, save: (incident) => this.deps.journal.append({ t: 'incident', incident }) };
    for (const incident of active) {
      for (const run of ticks) {
        const { notices, last } = run(incident, ctx);
        for (const notice of notices) this.dispatch(notice.event, notice.tier);
        if (last) break;
      }
    }
  }

  /** Queues every gathered group now, due or not, and waits for the send round in progress. */
  async stop(): Promise<void> {
    clearTimeout(this.#wake?.timer);
    this.#wake = undefined;
    const ctx = this.context();
    for (const group of this.deps.gatherer.drain()) this.#queue(group, ctx);
    await this.deps.sender.idle();
  }

  #flushDue(): void {
    this.#wake = undefined;
    const ctx = this.context();
    for (const group of this.deps.gatherer.due(ctx)) this.#queue(group, ctx);
    this.#arm(ctx.now);
  }

  #queue(group: Group, ctx: StageContext): void {
    const queued = queueGroup(group, ctx, this.deps.rendering);
    if (!queued) return;
    this.deps.journal.append(...queued.records);
    this.deps.sender.queue(queued.entry);
  }

  /** (Re)sets the one timer if the earliest group is due before it; a timer that fired early re-arms. */
  #arm(now: number): void {
    const at = this.deps.gatherer.nextWakeAt();
    if (at === undefined || (this.#wake && this.#wake.at <= at)) return;
    clearTimeout(this.#wake?.timer);
    this.#wake = { at, timer: setTimeout(() => this.#flushDue(), Math.max(0, at - now)) };
  }
}
