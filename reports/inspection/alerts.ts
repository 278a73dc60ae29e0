import { NAME_TAGS } from '../../common/contracts/stored.js';
import type { Row } from '../influx-query.js';
import type { GatheredDay } from './gather.js';

/** One alert (or incident) of the day, as its alert_events rows tell it. */
export interface AlertEntry {
  id: string;
  /** `incident`: an incident's own rows; `member`: folded into `incident`; `single`: on its own. */
  fault: string;
  incident?: string;
  rule: string;
  severity: string;
  category: string;
  site: string;
  room: string;
  device: string;
  opened: number;
  value?: number;
  ackBy?: string;
  ackAfterS?: number;
  resolvedAt?: number;
  durationS?: number;
  reason?: string;
  members?: number;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The alerts open at some moment of the day: opened that day, or earlier and acknowledged or
 * resolved since the day began (their opening time is told by `duration_s` / `ack_after_s`).
 */
export function alertEntries(day: GatheredDay, deviceName: (id: string) => string | undefined): AlertEntry[] {
  const byId = new Map<string, Row[]>();
  for (const row of day.events) {
    const id = str(row.alert_id);
    if (id) (byId.get(id) ?? byId.set(id, []).get(id)!).push(row);
  }
  const entries: AlertEntry[] = [];
  for (const [id, rows] of byId) {
    rows.sort((a, b) => num(a.time)! - num(b.time)!);
    const opened = rows.find((r) => r.event === 'opened');
    const acked = rows.find((r) => r.event === 'acknowledged');
    const resolved = rows.find((r) => r.event === 'resolved');
    const at =
      num(opened?.time) ??
      (resolved && num(resolved.duration_s) !== undefined ? num(resolved.time)! - num(resolved.duration_s)! * 1000 : undefined) ??
      (acked && num(acked.ack_after_s) !== undefined ? num(acked.time)! - num(acked.ack_after_s)! * 1000 : undefined);
    if (at === undefined || at >= day.end) continue;
    const head = opened ?? rows[0]!;
    const device = str(head.device) ?? '';
    entries.push({
      id,
      fault: str(head.fault) ?? 'single',
      incident: str(head.incident),
      rule: str(head.rule) ?? '',
      severity: str(head.severity) ?? 'warning',
      category: str(head.category) ?? '',
      site: str(head[NAME_TAGS.site]) ?? str(head.site) ?? '',
      room: str(head[NAME_TAGS.room]) ?? str(head.room) ?? '',
      device: deviceName(device) ?? str(head[NAME_TAGS.device]) ?? device,
      opened: at,
      value: num(opened?.value),
      ackBy: str(acked?.ack_by),
      ackAfterS: num(acked?.ack_after_s),
      resolvedAt: num(resolved?.time),
      durationS: num(resolved?.duration_s),
      reason: str(resolved?.reason),
      members: num(opened?.members ?? resolved?.members),
    });
  }
  return entries.sort((a, b) => a.opened - b.opened);
}
