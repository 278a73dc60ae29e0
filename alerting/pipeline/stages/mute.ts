import type { Alert } from '../../alerts.js';
import { isIncidentEvent } from '../../incidents/incident.js';
import { mutedBy } from '../../core/mute.js';
import { wallAt, type Stage, type StageContext } from '../stage.js';

/** Why the alert is muted at steady time `at` (a silence or a maintenance window), if it is. */
export function muteReason(alert: Alert, at: number, ctx: Pick<StageContext, 'now' | 'wall' | 'view'>): string | undefined {
  const info = ctx.view.device(alert.device);
  const labels = { site: info.site, room: info.room, device: alert.device, device_type: info.deviceType, rule: alert.rule, severity: alert.severity, ...alert.labels };
  // Silences and maintenance windows are dates people set: they follow the wall clock.
  return mutedBy(labels, ctx.view.silences(), ctx.view.maintenanceWindows, wallAt(at, ctx));
}

/**
 * Holds back notices of muted alerts; the alert remembers why, so its recovery is held back too.
 * An incident's notices pass: its alerts were judged one by one, and its recovery goes only to
 * whom its opening reached.
 */
export const mute: Stage = (notices, ctx) =>
  notices.filter(({ event }) => {
    if (isIncidentEvent(event)) return true;
    const alert = event.alert;
    // A recovery of an alert nobody was told about is not news either.
    const reason = event.kind === 'resolved' && alert.muted ? alert.muted : muteReason(alert, event.at, ctx);
    if (!reason) return true;
    if (event.kind !== 'resolved') alert.muted = reason;
    ctx.hold(alert, 'muted', reason);
    return false;
  });
