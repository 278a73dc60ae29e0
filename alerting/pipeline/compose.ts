import type { IncidentTick, Notice, Stage, StageContext, Tick } from './stage.js';
import { fold } from './stages/fold.js';
import { inhibit } from './stages/inhibit.js';
import { mute } from './stages/mute.js';
import { route } from './stages/route.js';
import { escalate } from './ticks/escalate.js';
import { escalateIncident, repeatIncident } from './ticks/incident.js';
import { repeat } from './ticks/repeat.js';
import { unmute } from './ticks/unmute.js';

/**
 * The notification path, in order: each notice passes these stages, is gathered for its receiver
 * and room (stages/group.ts, group_wait), queued and journaled (stages/outbox.ts) and sent with
 * retries (sender.ts); runner.ts does the I/O between them.
 */
export const NOTIFY_STAGES: readonly Stage[] = [mute, inhibit, fold, route];

/** What the clock does to each active alert once a second, in order; their notices take the path above. */
export const ALERT_TICKS: readonly Tick[] = [unmute, escalate, repeat];

/** What the clock does to an alert while it is part of an incident: the incident escalates and repeats, not its alerts. */
export const MEMBER_TICKS: readonly Tick[] = [unmute];

/** What the clock does to each active incident once a second, as one unit. */
export const INCIDENT_TICKS: readonly IncidentTick[] = [escalateIncident, repeatIncident];

/** Runs notices through the stages in order; once none are left, later stages are not asked. */
export function runStages(stages: readonly Stage[], notices: readonly Notice[], ctx: StageContext): readonly Notice[] {
  let passing = notices;
  for (const stage of stages) {
    if (!passing.length) break;
    passing = stage(passing, ctx);
  }
  return passing;
}
