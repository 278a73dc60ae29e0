import type { Alert } from '../alerts.js';
import type { Incident, NotifyEvent } from '../incidents/incident.js';
import type { MaintenanceWindow, Silence } from '../core/mute.js';
import type { DeviceInfo } from '../notify/directory.js';

/**
 * One alert's or incident's event on its way to people: for escalation tier `tier`, and once
 * routed, for one receiver. `notBefore` (steady time) keeps it gathering at least until then: an
 * alert an incident would explain waits for that incident (fold stage).
 */
export interface Notice {
  readonly event: NotifyEvent;
  readonly tier: number;
  readonly receiver?: string;
  readonly notBefore?: number;
}

/** A route as the pipeline reads it (the compiled `alerting.routes[]`). */
export interface Route {
  severities?: readonly string[];
  match?: { site?: string; room?: string; device?: string; device_type?: string };
  receivers: readonly string[];
  escalateAfterMs?: number;
  escalateTo?: readonly string[];
}

/** What the stages may read of the engine's state; they never change it except through `hold`. */
export interface AlertView {
  /** Alerts firing or acknowledged now. */
  active(): readonly Alert[];
  /** Silences in force or to come (config and API), by the wall clock. */
  silences(): readonly Silence[];
  readonly maintenanceWindows: readonly MaintenanceWindow[];
  readonly routes: readonly Route[];
  /** Every configured receiver id, in config order: the route when no routes are configured. */
  readonly receivers: readonly string[];
  device(id: string): DeviceInfo;
  /** The incidents alerts belong to (absent: no incidents, every alert is told alone). */
  readonly incidents?: IncidentView;
}

/** What the stages may read of the incidents. */
export interface IncidentView {
  /** The incident of that id, active or recently resolved. */
  get(id: string): Incident | undefined;
  /** Its members' alerts in member order (openers first), active or resolved; unknown ones left out. */
  alertsOf(incident: Incident): Alert[];
  /** How long an alert an incident would explain waits for that incident before it goes out alone. */
  holdMs(alert: Alert): number;
}

/**
 * What a stage is given besides the notices. Time is passed in: `now` is steady time (durations,
 * event times), `wall` the wall clock at the same moment (silences and windows are dates).
 */
export interface StageContext {
  readonly now: number;
  readonly wall: number;
  readonly view: AlertView;
  /**
   * A notice goes no further, for a reason people should be able to find. The stage has already
   * written the reason on the alert; the runner journals the alert and logs the reason.
   */
  hold(alert: Alert, kind: 'muted' | 'inhibited', reason: string): void;
}

/**
 * One step of the notification path, as in Alertmanager's notify.go: notices in, the notices that
 * go on out. No timers, no I/O, no clock of its own.
 */
export type Stage = (notices: readonly Notice[], ctx: StageContext) => readonly Notice[];

/** A steady time as a date: equal while the wall clock has not been stepped since `ctx` was taken. */
export function wallAt(steady: number, ctx: Pick<StageContext, 'now' | 'wall'>): number {
  return steady + (ctx.wall - ctx.now);
}

/** Events gathered for one receiver and tier in one room, or of one incident: they go out as one message. */
export interface Group {
  readonly receiver: string;
  readonly tier: number;
  readonly events: NotifyEvent[];
}

/**
 * Where routed notices wait (group_wait) until they go out together. Time is passed in: the
 * runner asks `nextWakeAt` when to come back and calls `due` then, so one timer serves all groups.
 */
export interface Gatherer {
  /** Routed notices (those without a receiver are ignored) join their group, or open one at `ctx.now`. */
  add(notices: readonly Notice[], ctx: StageContext): void;
  /** Removes and returns the groups whose wait is over at `ctx.now`, oldest first. */
  due(ctx: StageContext): Group[];
  /** Removes and returns every group, due or not (stopping: queue rather than lose them). */
  drain(): Group[];
  /** Steady time at which the oldest group is due, if any group waits. */
  nextWakeAt(): number | undefined;
  /** Events gathered and not yet queued (a rotated journal keeps their pending marker). */
  waiting(): readonly NotifyEvent[];
  /**
   * The alert joined an incident: its opening, waiting in a room group, is taken out (the
   * incident's message lists it). Says whether there was one.
   */
  claim(alertKey: string): boolean;
}

/** What the incidents' ticks are given: a stage's context, the repeat interval, and a way to journal an incident. */
export interface IncidentTickContext extends StageContext {
  readonly repeatIntervalMs: number;
  save(incident: Incident): void;
}

/** Work the clock does on an active incident (escalate, repeat): an incident is one unit, its alerts are not asked. */
export type IncidentTick = (incident: Incident, ctx: IncidentTickContext) => TickResult;

/** What the ticks are given: a stage's context, the repeat interval, and a way to journal an alert. */
export interface TickContext extends StageContext {
  readonly repeatIntervalMs: number;
  /** Journals the alert's new state (a tier escalated to). */
  save(alert: Alert): void;
}

/** Notices a tick raises for one alert; `last` means the later ticks do not look at it this time. */
export interface TickResult {
  readonly notices: readonly Notice[];
  readonly last?: boolean;
}

/**
 * Work the clock does on an active alert (unmute, escalate, repeat), run on the engine's tick for
 * each active alert in turn. Time is passed in, as for stages; notices go through the stages.
 */
export type Tick = (alert: Alert, ctx: TickContext) => TickResult;

/** An alert opening (again) now, for tier `tier`: what every tick sends. */
export function openedNow(alert: Alert, ctx: Pick<StageContext, 'now'>, tier: number): Notice {
  return { event: { kind: 'opened', alert, at: ctx.now }, tier };
}
