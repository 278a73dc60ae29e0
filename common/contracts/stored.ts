/**
 * What roomwatch stores in InfluxDB for people to read back: dashboards (dashboards/), the fault
 * statistics and the inspection report (reports/) query these names, the daemon writes them.
 * One place, so a writer and its readers cannot drift apart.
 */

/**
 * Display-name tags on every reading point and every alert event, beside the ids: dashboards and
 * reports group by them and show them (`省公司三楼主机房 / 1号精密空调`), and a rename in the
 * configuration shows from the next poll on without regenerating anything.
 */
export const NAME_TAGS = { site: 'site_name', room: 'room_name', device: 'device_name' } as const;

/**
 * Device label naming a meter's place in the power chain, for the PUE panel:
 * `labels: { power_role: facility_incomer }` on the room's incoming-supply meter(s),
 * `labels: { power_role: it_load }` on the meters of the IT load (UPS output, PDU feeders).
 */
export const POWER_ROLE_LABEL = 'power_role';
export const POWER_ROLES = ['facility_incomer', 'it_load'] as const;
export type PowerRole = (typeof POWER_ROLES)[number];

/**
 * Active alerts per room and severity, retention policy `raw` (so downsampled like readings), one
 * point per configured room and severity every ALERT_STATUS_INTERVAL_MS, zeros included, so a
 * quiet room reads 0 instead of "No data".
 * Tags: site, room, site_name, room_name, severity. Fields: `active`, `unacknowledged` (counts,
 * floats like every number roomwatch writes). Alerts of roomwatch itself (no room) are not counted.
 */
export const ALERT_STATUS_MEASUREMENT = 'alert_status';
/** The 10-second convention of Chinese power-and-environment monitoring (../shared/DOMAIN.md). */
export const ALERT_STATUS_INTERVAL_MS = 10_000;
/** Severity rank for "worst active severity" (max over a site): 0 none ... 4 critical. */
export const SEVERITY_RANK = { warning: 1, minor: 2, major: 3, critical: 4 } as const;

/**
 * Fault statistics per local day, retention policy `events` (kept as long as the alert history),
 * computed from alert_events (reports/faults) and rewritten by the daemon every
 * `reports.faults.stats_interval` for the days that can still change (same series and timestamp,
 * so a rewrite replaces the point). Timestamp: local midnight (reports.timezone) of the day the
 * faults opened. One point per (category, severity, site, room, device_type) with faults that day.
 * Tags: category, severity, site, room, site_name, room_name, device_type.
 * Fields (all counts of faults opened that day, an incident counted once):
 *   faults, incidents (faults that are incidents), members (alerts folded into those incidents),
 *   acknowledged, ack_seconds_total (sum over the acknowledged: MTTA = ack_seconds_total / acknowledged),
 *   resolved, resolve_seconds_total (MTTR = resolve_seconds_total / resolved),
 *   resolved_within_limit (resolved within reports.faults.resolve_within[severity]),
 *   unacknowledged (never acknowledged so far).
 */
export const FAULT_STATS_MEASUREMENT = 'fault_stats';
export const FAULT_STATS_FIELDS = [
  'faults',
  'incidents',
  'members',
  'acknowledged',
  'ack_seconds_total',
  'resolved',
  'resolve_seconds_total',
  'resolved_within_limit',
  'unacknowledged',
] as const;
export type FaultStatsField = (typeof FAULT_STATS_FIELDS)[number];

/** Retention policy of readings as polled: the default, so line protocol writes land here. */
export const RAW_POLICY = 'raw';
/** Readings downsampled by the continuous queries (downsample.ts), same measurement and field names. */
export const LONG_TERM_POLICY = 'long_term';
/** Alert events, kept for years and never downsampled (the continuous queries read only `raw`). */
export const EVENTS_POLICY = 'events';
