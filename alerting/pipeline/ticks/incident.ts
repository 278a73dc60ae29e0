import { incidentEvent } from '../stages/fold.js';
import { routesFor, subjectOf } from '../stages/route.js';
import type { IncidentTick, IncidentTickContext, TickResult } from '../stage.js';
import type { Incident } from '../../incidents/incident.js';

const NOTHING: TickResult = { notices: [] };

/** Only an incident whose opening went out, still open and unacknowledged, is escalated or repeated. */
function waitingForSomeone(incident: Incident): boolean {
  return incident.status === 'open' && !incident.ack && (incident.told ?? []).length > 0;
}

const opening = (incident: Incident, ctx: IncidentTickContext, tier: number) => {
  if (!ctx.view.incidents) return NOTHING;
  return { notices: [{ event: incidentEvent('incident_opened', incident, ctx.view.incidents, ctx.now), tier }] };
};

/**
 * An incident nobody acknowledged within a route's escalate_after (from its opening) goes to
 * tier 1 once, as one message, as an alert would. The tier is journaled first.
 */
export const escalateIncident: IncidentTick = (incident, ctx) => {
  if (!waitingForSomeone(incident) || incident.tiers.includes(1) || !ctx.view.incidents) return NOTHING;
  const subject = subjectOf(incidentEvent('incident_opened', incident, ctx.view.incidents, ctx.now));
  const due = routesFor(subject, ctx.view).some((r) => r.escalateAfterMs !== undefined && ctx.now - incident.openedAt >= r.escalateAfterMs);
  if (!due) return NOTHING;
  incident.tiers.push(1);
  ctx.save(incident);
  return opening(incident, ctx, 1);
};

/** A critical incident still open and unacknowledged goes to the first tier again every repeat_interval. */
export const repeatIncident: IncidentTick = (incident, ctx) => {
  if (!waitingForSomeone(incident) || incident.severity !== 'critical' || ctx.now - (incident.lastSentAt ?? incident.openedAt) < ctx.repeatIntervalMs) return NOTHING;
  incident.lastSentAt = ctx.now;
  return opening(incident, ctx, 0);
};
