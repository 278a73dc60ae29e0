import type { Alert } from '../alerts.js';
import type { DeviceSpec } from '../../common/contracts/device.js';
import { scopeOf, type Place } from './match.js';
import type { IncidentTypes } from './types.js';

/**
 * How long an alert an incident would explain waits for that incident before it is told alone:
 * `hold`, or with `auto` twice the longest poll interval among the devices in that incident's
 * scope around the alert's device (so whatever opens the incident is polled at least once
 * meanwhile, in any poll order), and never less than group_wait.
 */
export function holdFor(
  devices: readonly Pick<DeviceSpec, 'id' | 'site' | 'room' | 'intervalMs'>[],
  settings: { holdMs: number | 'auto'; groupWaitMs: number },
  types: IncidentTypes,
  place: (device: string) => Place,
): (alert: Pick<Alert, 'explainedBy' | 'device'>) => number {
  const { holdMs, groupWaitMs } = settings;
  if (holdMs !== 'auto') return () => holdMs;
  const cache = new Map<string, number>();
  return (alert) => {
    const type = alert.explainedBy === undefined ? undefined : types.get(alert.explainedBy);
    if (!type) return 0;
    const key = `${type.name}|${alert.device}`;
    let ms = cache.get(key);
    if (ms === undefined) {
      const scope = scopeOf(type, place(alert.device));
      const inScope = devices.filter((d) => d.site === scope.site && (scope.room === undefined || d.room === scope.room) && (scope.device === undefined || d.id === scope.device));
      ms = Math.max(groupWaitMs, 2 * Math.max(0, ...inScope.map((d) => d.intervalMs)));
      cache.set(key, ms);
    }
    return ms;
  };
}
