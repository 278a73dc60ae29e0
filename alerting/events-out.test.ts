import { describe, expect, it } from 'vitest';
import type { Alert } from './alerts.js';
import { alertEventReadings } from './events-out.js';

const info = { name: 'UPS 1', site: 's1', siteName: 'Site', room: 'r1', roomName: 'Room', deviceType: 'ups-rfc1628', units: {} };
const alert = (overrides: Partial<Alert> = {}): Alert => ({
  id: 'a1', key: 'k1', rule: 'ups_on_battery', severity: 'critical', summary: { en: 'x', 'zh-CN': 'x' }, source: 'test',
  device: 'ups-1', labels: {}, status: 'firing', flapping: false, value: 5, threshold: '= 5', measurement: 'ups',
  field: 'output_source', firingSince: 10_000, notes: [], tiers: [], ...overrides,
});
const HOUR = 3_600_000;

describe('alert_events readings', () => {
  it('carry the alert id and value, tagged with where and what, at the wall time of the event', () => {
    const readings = alertEventReadings({ kind: 'opened', alert: alert(), at: 10_000 }, info, (t) => t + HOUR);
    expect(readings.map((r) => [r.field, r.value])).toEqual([['alert_id', 'a1'], ['value', 5]]);
    expect(readings[0]).toMatchObject({ measurement: 'alert_events', time: 10_000 + HOUR, source: 'alerting' });
    expect(readings[0]!.tags).toEqual({ site: 's1', room: 'r1', device: 'ups-1', device_type: 'ups-rfc1628', rule: 'ups_on_battery', severity: 'critical', event: 'opened' });
  });

  it('say how long a resolved alert lasted and how soon an acknowledged one was acknowledged, by whom', () => {
    const resolved = alertEventReadings({ kind: 'resolved', alert: alert({ status: 'resolved', resolvedAt: 130_000, value: 'online' }), at: 130_000 }, info, (t) => t);
    expect(resolved.map((r) => [r.field, r.value])).toEqual([['alert_id', 'a1'], ['duration_s', 120]]);
    const acked = alertEventReadings({ kind: 'acknowledged', alert: alert({ ack: { by: 'li', at: 70_000 } }), at: 70_000 }, info, (t) => t);
    expect(acked.map((r) => [r.field, r.value])).toEqual([['alert_id', 'a1'], ['value', 5], ['ack_after_s', 60], ['ack_by', 'li']]);
  });
});
