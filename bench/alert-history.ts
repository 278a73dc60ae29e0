import type { AlertEventRecord } from '../common/contracts/alert-event.js';
import { seededRandom } from '../mocks/sim/noise.js';

/**
 * A province-scale alert history for the reports benchmark, as the engine writes it
 * (alerting/events-out.ts): faults on their own, incidents with members, acknowledgements,
 * resolutions (some by removal), flapping. Seeded, so every run measures the same rows.
 */

export interface HistoryShape {
  sites: number;
  roomsPerSite: number;
  devicesPerRoom: number;
  /** Beijing-local months covered, from fromMs on. */
  fromMs: number;
  toMs: number;
  /** Mean faults opened per device per 30 days. */
  faultsPerDeviceMonth: number;
}


const TYPES = [
  { type: 'ups', name: 'UPS', category: 'power' },
  { type: 'power_meter', name: '电表', category: 'power' },
  { type: 'crac', name: '精密空调', category: 'cooling' },
  { type: 'environment', name: '温湿度传感器', category: 'environment' },
] as const;
const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;

interface Device {
  tags: Record<string, string>;
  category: string;
}

function devicesOf(shape: HistoryShape): Device[][] {
  const rooms: Device[][] = [];
  for (let s = 0; s < shape.sites; s++) {
    for (let r = 0; r < shape.roomsPerSite; r++) {
      const room: Device[] = [];
      for (let d = 0; d < shape.devicesPerRoom; d++) {
        const t = TYPES[d % TYPES.length]!;
        room.push({
          category: t.category,
          tags: { site: `site-${s}`, room: `room-${r}`, device: `${t.type}-${d}`, device_type: t.type, site_name: `第${s + 1}分公司`, room_name: `第${s + 1}分公司${r + 1}号机房`, device_name: `${d + 1}号${t.name}` },
        });
      }
      rooms.push(room);
    }
  }
  return rooms;
}

/** The history's records, in no particular order (InfluxDB orders them by time). */
export function alertHistory(shape: HistoryShape, seed = 10): AlertEventRecord[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const records: AlertEventRecord[] = [];
  let sub = 0;
  const push = (device: Device, extra: Record<string, string>, event: string, time: number, fields: Record<string, number | string>) => {
    records.push({ time: Math.floor(time), subMs: ++sub % 1_000_000, tags: { ...device.tags, rule: `${device.category}-rule`, ...extra, event }, fields });
  };
  const rooms = devicesOf(shape);
  const span = shape.toMs - shape.fromMs;
  const perRoom = Math.round((shape.faultsPerDeviceMonth * shape.devicesPerRoom * span) / (30 * 86_400_000));
  let serial = 0;
  for (const room of rooms) {
    for (let i = 0; i < perRoom; i++) {
      const device = pick(room);
      const severity = pick(SEVERITIES);
      const opened = shape.fromMs + random() * span;
      const id = `a${++serial}`;
      const base = { severity, category: device.category };
      // One in ten is an incident: a room-wide cause folding two to four alerts.
      const members = random() < 0.1 ? room.slice(0, 2 + Math.floor(random() * 3)) : [];
      const ackAfter = random() < 0.8 ? 30 + random() * 7200 : undefined;
      const resolveAfter = random() < 0.9 ? 60 + random() * 36_000 : undefined;
      const reason = random() < 0.03 ? 'removed' : 'cleared';
      if (members.length) {
        const incident = { ...base, fault: 'incident', incident: id };
        push(device, incident, 'opened', opened, { alert_id: id, members: members.length });
        members.forEach((member, m) => {
          const memberId = `${id}-${m}`;
          const tags = { ...base, category: member.category, fault: 'member', incident: id };
          push(member, tags, 'opened', opened + (m + 1) * 5000, { alert_id: memberId });
          if (ackAfter !== undefined && m === 0) push(member, tags, 'acknowledged', opened + ackAfter * 1000, { alert_id: memberId, ack_after_s: ackAfter, ack_by: 'duty' });
          if (resolveAfter !== undefined) push(member, tags, 'resolved', opened + resolveAfter * 1000, { alert_id: memberId, duration_s: resolveAfter, reason });
        });
        if (resolveAfter !== undefined) push(device, incident, 'resolved', opened + resolveAfter * 1000, { alert_id: id, members: members.length, duration_s: resolveAfter });
        continue;
      }
      const single = { ...base, fault: 'single' };
      push(device, single, 'opened', opened, { alert_id: id });
      if (ackAfter !== undefined) push(device, single, 'acknowledged', opened + ackAfter * 1000, { alert_id: id, ack_after_s: ackAfter, ack_by: 'duty' });
      if (resolveAfter !== undefined) push(device, single, 'resolved', opened + resolveAfter * 1000, { alert_id: id, duration_s: resolveAfter, reason });
      // A flapping sensor reports a burst of flaps within its fault's first minutes.
      if (random() < 0.05) for (let f = 1; f <= 3; f++) push(device, single, 'flapping', opened + f * 60_000, { alert_id: id });
    }
  }
  return records;
}
