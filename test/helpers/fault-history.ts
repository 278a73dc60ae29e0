import type { AlertEventRecord } from '../../common/contracts/alert-event.js';
import type { EventRow } from '../../reports/faults/faults.js';

/**
 * A scripted alert history with known answers (README: Fault statistics): rows as the engine writes
 * them (alerting/events-out.ts), Beijing times. The tests count the expected figures by hand.
 */

/** A Beijing wall time (UTC+8, no DST) as epoch ms. */
export const bj = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h - 8, mi, s);

const DEVICES = {
  'ups-1': { site: 'prov', room: 'room-1', device_type: 'ups', device_name: '1号UPS' },
  'meter-1': { site: 'prov', room: 'room-1', device_type: 'power_meter', device_name: '进线电表' },
  'crac-1': { site: 'prov', room: 'room-1', device_type: 'crac', device_name: '1号精密空调' },
  'ups-2': { site: 'county-a', room: 'room-2', device_type: 'ups', device_name: '2号UPS' },
  'th-1': { site: 'county-a', room: 'room-2', device_type: 'environment', device_name: '温湿度传感器' },
} as const;
const NAMES: Record<string, { site_name: string; room_name: string }> = {
  prov: { site_name: '省公司', room_name: '省公司三楼主机房' },
  'county-a': { site_name: '安吉县分公司', room_name: '安吉县机房' },
};
type DeviceId = keyof typeof DEVICES;

interface Spec {
  id: string;
  device: DeviceId;
  category: string;
  severity: string;
  /** 'none': a row of a version before incidents, without the tag. */
  fault?: 'single' | 'member' | 'incident' | 'none';
  incident?: string;
}

const records: AlertEventRecord[] = [];
let sub = 0;

function row(spec: Spec, event: string, time: number, fields: Record<string, number | string> = {}): void {
  const d = DEVICES[spec.device];
  const tags: Record<string, string> = { ...d, ...NAMES[d.site]!, device: spec.device, rule: 'r', severity: spec.severity, category: spec.category, event };
  if (spec.fault !== 'none') tags.fault = spec.fault ?? 'single';
  if (spec.incident) tags.incident = spec.incident;
  records.push({ time, subMs: ++sub, tags, fields: { alert_id: spec.id, ...fields } });
}

function single(spec: Spec, opened: number, ackAfterS?: number, resolvedAfterS?: number, reason = 'cleared'): void {
  row(spec, 'opened', opened);
  if (ackAfterS !== undefined) row(spec, 'acknowledged', opened + ackAfterS * 1000, { ack_after_s: ackAfterS, ack_by: 'duty' });
  if (resolvedAfterS !== undefined) row(spec, 'resolved', opened + resolvedAfterS * 1000, { duration_s: resolvedAfterS, reason });
}

// --- January 2025 (the period under test) ---
// A: the first fault of 2025, 30 s after Beijing midnight (2024-12-31 16:00:30 UTC); ack 10 min, resolved 2 h.
single({ id: 'A', device: 'ups-1', category: 'power', severity: 'critical' }, bj(2025, 1, 1, 0, 0, 30), 600, 7200);
// C: a mains-failure incident of three alerts; acknowledged 20 min after opening (late for critical), resolved after 5 h (late).
{
  const at = bj(2025, 1, 10, 8);
  const inc: Spec = { id: 'C', device: 'meter-1', category: 'power', severity: 'critical', fault: 'incident', incident: 'C' };
  row(inc, 'opened', at, { members: 2 });
  const members: Array<[string, DeviceId, number]> = [['C1', 'meter-1', 5], ['C2', 'ups-1', 10], ['C3', 'crac-1', 20]];
  for (const [id, device, after] of members) row({ id, device, category: 'power', severity: 'critical', fault: 'member', incident: 'C' }, 'opened', at + after * 1000);
  row({ id: 'C2', device: 'ups-1', category: 'power', severity: 'critical', fault: 'member', incident: 'C' }, 'acknowledged', at + 1200_000, { ack_after_s: 1190, ack_by: 'duty' });
  row({ id: 'C1', device: 'meter-1', category: 'power', severity: 'critical', fault: 'member', incident: 'C' }, 'acknowledged', at + 1500_000, { ack_after_s: 1495, ack_by: 'duty' });
  row({ id: 'C3', device: 'crac-1', category: 'power', severity: 'critical', fault: 'member', incident: 'C' }, 'resolved', at + 3600_000, { duration_s: 3580, reason: 'cleared' });
  row(inc, 'resolved', at + 18_000_000, { members: 3, duration_s: 18_000 });
}
// D: cooling, never acknowledged, resolved by itself in 20 min; the CRAC flapped three times that day.
single({ id: 'D', device: 'crac-1', category: 'cooling', severity: 'major' }, bj(2025, 1, 15, 10), undefined, 1200);
for (const minute of [5, 10, 15]) row({ id: 'D', device: 'crac-1', category: 'cooling', severity: 'major' }, 'flapping', bj(2025, 1, 15, 10, minute));
// E: acknowledged after 3 h (late for minor: 2 h), still open.
single({ id: 'E', device: 'th-1', category: 'environment', severity: 'minor' }, bj(2025, 1, 20, 12), 10_800);
// F: the last hour of January in Beijing (15:00 UTC on the 31st), nobody looked, still open.
single({ id: 'F', device: 'ups-2', category: 'communication', severity: 'warning' }, bj(2025, 1, 31, 23));
// G: written by a version before incidents (no fault tag): counted as a fault of its own; resolved in 10 min.
single({ id: 'G', device: 'ups-2', category: 'power', severity: 'major', fault: 'none' }, bj(2025, 1, 5, 9), undefined, 600);
// J: ended because the device was removed from the configuration: no repair, so not resolved.
single({ id: 'J', device: 'th-1', category: 'communication', severity: 'minor' }, bj(2025, 1, 25), undefined, 86_400, 'removed');

// --- outside January ---
// H: 10 s into February in Beijing (still 31 January in UTC): February's; and a flap of the CRAC then.
single({ id: 'H', device: 'crac-1', category: 'cooling', severity: 'major' }, bj(2025, 2, 1, 0, 0, 10));
row({ id: 'H', device: 'crac-1', category: 'cooling', severity: 'major' }, 'flapping', bj(2025, 2, 1, 0, 30));
// December 2024 (环比): B in the last minute of 2024 in Beijing, K earlier.
single({ id: 'B', device: 'ups-1', category: 'power', severity: 'major' }, bj(2024, 12, 31, 23, 59), 300, 1800);
single({ id: 'K', device: 'crac-1', category: 'cooling', severity: 'minor' }, bj(2024, 12, 10, 14), 60, 600);
// January 2024 (同比): three faults.
single({ id: 'L1', device: 'ups-1', category: 'power', severity: 'critical' }, bj(2024, 1, 1, 10), 120, 3600);
single({ id: 'L2', device: 'th-1', category: 'environment', severity: 'minor' }, bj(2024, 1, 12, 9));
single({ id: 'L3', device: 'meter-1', category: 'power', severity: 'major' }, bj(2024, 1, 30, 18), 60, 60);

/** The history as the engine's records (for the sink). */
export const HISTORY_RECORDS: readonly AlertEventRecord[] = records;

/** The same history as rows read back from InfluxDB (tags and fields side by side, time in ms). */
export const HISTORY_ROWS: readonly EventRow[] = records.map((r) => ({ ...r.tags, ...r.fields, time: r.time }));
