import { muteReason } from '../stages/mute.js';
import { openedNow, type Tick, type TickResult } from '../stage.js';

const NOTHING: TickResult = { notices: [] };
const DONE: TickResult = { notices: [], last: true };

/**
 * The silence or maintenance window is over and the alert still fires: tell people now. An alert
 * still muted, or acknowledged, is neither escalated nor repeated, so no later tick looks at it.
 */
export const unmute: Tick = (alert, ctx) => {
  if (alert.muted && !muteReason(alert, ctx.now, ctx)) {
    alert.muted = undefined;
    return { notices: [openedNow(alert, ctx, 0)], last: true };
  }
  return alert.ack || alert.muted ? DONE : NOTHING;
};
