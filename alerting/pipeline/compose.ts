import type { Notice, Stage, StageContext } from './stage.js';
import { inhibit } from './stages/inhibit.js';
import { mute } from './stages/mute.js';
import { route } from './stages/route.js';

/** The stages every notice passes before it is gathered into a group for its receiver, in order. */
export const NOTIFY_STAGES: readonly Stage[] = [mute, inhibit, route];

/** Runs notices through the stages in order; once none are left, later stages are not asked. */
export function runStages(stages: readonly Stage[], notices: readonly Notice[], ctx: StageContext): readonly Notice[] {
  let passing = notices;
  for (const stage of stages) {
    if (!passing.length) break;
    passing = stage(passing, ctx);
  }
  return passing;
}
