import { openedNow, type Tick, type TickResult } from '../stage.js';

const NOTHING: TickResult = { notices: [] };

/** A critical alert still firing and unacknowledged goes to the first tier again every repeat_interval. */
export const repeat: Tick = (alert, ctx) => {
  if (alert.severity !== 'critical' || ctx.now - (alert.lastSentAt ?? alert.firingSince) < ctx.repeatIntervalMs) return NOTHING;
  alert.lastSentAt = ctx.now;
  return { notices: [openedNow(alert, ctx, 0)] };
};
