import type { Sample } from '../core/evaluate.js';
import { SELF_DEVICE, SELF_MEASUREMENT } from './rules.js';

/** What the rest of roomwatch tells alerting about its own health. */
export interface SelfStatus {
  influxReachable: boolean;
  spoolFillPercent: number;
  pollerOverruns: number;
  configReloadRejected: boolean;
}

/**
 * roomwatch's own health as samples for the self rules (rules.ts), evaluated on every tick like a
 * device's readings. Notifications failing are alerting's own count; the rest comes from outside.
 */
export function selfSamples(now: number, notificationsFailing: number, status: SelfStatus | undefined): Sample[] {
  const tags = { device: SELF_DEVICE };
  const sample = (field: string, value: number): Sample => ({ measurement: SELF_MEASUREMENT, field, tags, value, time: now });
  const samples = [sample('notifications_failed', notificationsFailing)];
  if (status) {
    samples.push(
      sample('influxdb_reachable', status.influxReachable ? 1 : 0),
      sample('spool_fill_percent', status.spoolFillPercent),
      sample('poller_overruns', status.pollerOverruns),
      sample('config_reload_rejected', status.configReloadRejected ? 1 : 0),
    );
  }
  return samples;
}
