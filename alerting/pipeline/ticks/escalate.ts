import { routesFor } from '../stages/route.js';
import { openedNow, type Notice, type Tick } from '../stage.js';

/**
 * An alert nobody acknowledged within a route's escalate_after goes to tier 1 (that route's
 * escalate_to), once. The tier is journaled first, so a restart does not escalate it again.
 */
export const escalate: Tick = (alert, ctx) => {
  const notices: Notice[] = [];
  for (const route of routesFor(alert, ctx.view)) {
    if (route.escalateAfterMs !== undefined && ctx.now - alert.firingSince >= route.escalateAfterMs && !alert.tiers.includes(1)) {
      alert.tiers.push(1);
      ctx.save(alert);
      notices.push(openedNow(alert, ctx, 1));
    }
  }
  return { notices };
};
