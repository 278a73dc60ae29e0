import type { Alert } from '../../alerts.js';
import { isIncidentEvent } from '../../incidents/incident.js';
import type { Stage, StageContext } from '../stage.js';

/**
 * While a device does not answer, its other alerts are consequences, not news. Its stale data is
 * explained by the comms_lost incident and folded into it (fold stage), so it is not held here.
 */
export const COMMS_RULES: ReadonlySet<string> = new Set(['device_comms_lost', 'device_data_stale']);
const SEVERITY_RANK = { critical: 0, major: 1, minor: 2, warning: 3 } as const;

/** Why another active alert already says what this one would, if one does. */
export function inhibitedBy(alert: Alert, view: StageContext['view']): string | undefined {
  const active = view.active();
  // A graver alert on the same quantity says it already (battery hot supersedes battery warm).
  const graver = active.find(
    (a) => a.key !== alert.key && a.device === alert.device && a.measurement === alert.measurement && a.field === alert.field && JSON.stringify(a.labels) === JSON.stringify(alert.labels) && SEVERITY_RANK[a.severity] < SEVERITY_RANK[alert.severity],
  );
  if (graver) return `superseded by ${graver.rule} (${graver.severity}, alert ${graver.id})`;
  if (!COMMS_RULES.has(alert.rule)) {
    const down = active.find((a) => a.device === alert.device && COMMS_RULES.has(a.rule));
    if (down) return `inhibited: ${alert.device} is not communicating (alert ${down.id})`;
  }
  // What an incident explains is folded into it, in either order (incidents/, the fold stage).
  return undefined;
}

/** Holds back new alerts another alert explains; the reason becomes a note on the alert. Only alerts' openings are judged. */
export const inhibit: Stage = (notices, ctx) =>
  notices.filter(({ event }) => {
    if (isIncidentEvent(event)) return true;
    const reason = event.kind === 'opened' ? inhibitedBy(event.alert, ctx.view) : undefined;
    if (!reason) return true;
    event.alert.notes.push({ by: 'roomwatch', at: event.at, text: reason });
    ctx.hold(event.alert, 'inhibited', reason);
    return false;
  });
