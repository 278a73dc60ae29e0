import type { Notice, Stage, StageContext, Tick } from './stage.js';
import { inhibit } from './stages/inhibit.js';
import { mute } from './stages/mute.js';
import { route } from './stages/route.js';
import { escalate } from './ticks/escalate.js';
import { repeat } from './ticks/repeat.js';
import { unmute } from './ticks/unmute.js';

/**
 * The notification path, in order: each notice passes these stages, is gathered for its receiver
 * and room (stages/group.ts, group_wait), queued and journaled (stages/outbox.ts) and sent with
 * retries (sender.ts); runner.ts does the I/O between them.
 */
export const NOTIFY_STAGES: readonly Stage[] = [mute, inhibit, route];

/** What the clock does to each active alert once a second, in order; their notices take the path above. */
export const ALERT_TICKS: readonly Tick[] = [unmute, escalate, repeat];

/** Runs notices through the stages in order; once none are left, later stages are not asked. */
export function runStages(stages: readonly Stage[], notices: readonly Notice[], ctx: StageContext): readonly Notice[] {
  let passing = notices;
  for (const stage of stages) {
    if (!passing.length) break;
    passing = stage(passing, ctx);
  }
  return passing;
}
