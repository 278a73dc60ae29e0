import { describe, expect, it } from 'vitest';
import type { Alert } from './alerts.js';
import type { Incident } from './incidents/incident.js';
import { alertEventRecord, eventSubMs, faultCategory, incidentEventRecord } from './events-out.js';

const info = {
  name: 'UPS 1', site: 's1', siteName: 'Site', room: 'r1', roomName: 'Room', deviceType: 'ups-rfc1628', units: {}, category: 'ups',
  labels: { site: 's1', room: 'r1', device: 'ups-1', device_type: 'ups-rfc1628', region: 'east', event: 'label clash' },
};
const alert = (overrides: Partial<Alert> = {}): Alert => ({
  id: 'a1', key: 'k1', rule: 'ups_on_battery', severity: 'critical', summary: { en: 'x', 'zh-CN': 'x' }, source: 'test',
  device: 'ups-1', labels: {}, status: 'firing', flapping: false, value: 5, threshold: '= 5', measurement: 'ups',
  field: 'output_source', firingSince: 10_000, notes: [], tiers: [], ...overrides,
});
const HOUR = 3_600_000;

describe('alert_events records', () => {
  it('carry the alert id and value, tagged with where, what and every label, at the wall time of the event', () => {
    const record = alertEventRecord({ kind: 'opened', alert: alert({ labels: { phase: '2', rule: 'clash' } }), at: 10_000 }, info, (t) => t + HOUR);
    expect(record.fields).toEqual({ alert_id: 'a1', value: 5 });
    expect(record.time).toBe(10_000 + HOUR);
    expect(record.tags).toEqual({
      site: 's1', room: 'r1', device: 'ups-1', device_type: 'ups-rfc1628', rule: 'ups_on_battery', severity: 'critical', event: 'opened',
      category: 'power', site_name: 'Site', room_name: 'Room', device_name: 'UPS 1', fault: 'single',
      region: 'east', phase: '2', label_event: 'label clash', label_rule: 'clash',
    });
  });

  it('tag an alert in an incident as a member, with the incident id, so the incident is the one fault counted', () => {
    const record = alertEventRecord({ kind: 'opened', alert: alert({ incidentId: 'i1' }), at: 10_000 }, info, (t) => t, { fault: 'member', incident: 'i1' });
    expect([record.tags.fault, record.tags.incident]).toEqual(['member', 'i1']);
  });

  it('write an incident\'s own opening and resolution as fault=incident rows named by its type, at its first alert\'s place', () => {
    const incident: Incident = {
      id: 'i1', type: 'mains_failure', scope: { level: 'room', site: 's1', room: 'r1' }, severity: 'critical', category: 'power',
      summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'resolved', openedAt: 10_000, resolvedAt: 190_000, notes: [], tiers: [],
      members: [{ key: 'k1', id: 'a1', role: 'opener', joinedAt: 10_000 }, { key: 'k2', id: 'a2', role: 'member', joinedAt: 12_000 }],
    };
    const opened = incidentEventRecord(incident, 'opened', 'ups-1', info, (t) => t + HOUR);
    expect(opened.time).toBe(10_000 + HOUR);
    expect(opened.tags).toEqual({
      site: 's1', room: 'r1', device: 'ups-1', device_type: 'ups-rfc1628', rule: 'mains_failure', severity: 'critical', category: 'power', event: 'opened',
      fault: 'incident', incident: 'i1', site_name: 'Site', room_name: 'Room', device_name: 'UPS 1', region: 'east', label_event: 'label clash',
    });
    expect(opened.fields).toEqual({ alert_id: 'i1', members: 2 });
    const resolved = incidentEventRecord(incident, 'resolved', 'ups-1', info, (t) => t);
    expect([resolved.time, resolved.fields.duration_s, resolved.tags.event]).toEqual([190_000, 180, 'resolved']);
    expect(resolved.subMs).not.toBe(opened.subMs);
  });

  it('say how long a resolved alert lasted and how soon an acknowledged one was acknowledged, by whom', () => {
    const resolved = alertEventRecord({ kind: 'resolved', alert: alert({ status: 'resolved', resolvedAt: 130_000, value: 'online' }), at: 130_000 }, info, (t) => t);
    expect(resolved.fields).toEqual({ alert_id: 'a1', duration_s: 120 });
    const acked = alertEventRecord({ kind: 'acknowledged', alert: alert({ ack: { by: 'li', at: 70_000 } }), at: 70_000 }, info, (t) => t);
    expect(acked.fields).toEqual({ alert_id: 'a1', value: 5, ack_after_s: 60, ack_by: 'li' });
  });

  it('give each event of an alert its own sub-millisecond part, the same every time it is built', () => {
    const opened = alertEventRecord({ kind: 'opened', alert: alert(), at: 10_000 }, info, (t) => t);
    const acked = alertEventRecord({ kind: 'acknowledged', alert: alert({ ack: { by: 'li', at: 10_000 } }), at: 10_000 }, info, (t) => t);
    expect(opened.subMs).not.toBe(acked.subMs);
    expect(opened.subMs).toBe(eventSubMs('a1', 'opened'));
    expect(alertEventRecord({ kind: 'opened', alert: alert(), at: 10_000 }, info, (t) => t)).toEqual(opened);
    for (const id of ['a1', '3f9c2a1b00', 'ffffffffff']) {
      const sub = eventSubMs(id, 'resolved');
      expect(Number.isInteger(sub) && sub >= 0 && sub < 1_000_000).toBe(true);
    }
  });

  it('tag the category of the alert’s own rule, and guess one only for an alert journaled without it', () => {
    const crac = { ...info, name: 'CRAC 1', deviceType: 'liebert-crac', category: 'crac' };
    const tagged = (overrides: Partial<Alert>) => alertEventRecord({ kind: 'opened', alert: alert({ device: 'crac-1', ...overrides }), at: 10_000 }, crac, (t) => t).tags.category;
    expect(tagged({ rule: 'crac_general_alarm', category: 'cooling' })).toBe('cooling');
    expect(tagged({ rule: 'return_air_high', category: 'environment' })).toBe('environment');
    expect(tagged({ rule: 'device_comms_lost', category: 'communication' })).toBe('communication');
    expect(tagged({ rule: 'crac_general_alarm' })).toBe('environment');
  });

  it('sort faults into power, environment, communication and roomwatch', () => {
    expect(faultCategory('ups_on_battery', 'ups-1', 'ups')).toBe('power');
    expect(faultCategory('phase_overcurrent', 'pm-1', 'power_meter')).toBe('power');
    expect(faultCategory('return_air_high', 'crac-1', 'crac')).toBe('environment');
    expect(faultCategory('water_leak', 'leak-1', 'leak')).toBe('environment');
    expect(faultCategory('humidity_high', 'th-1', 'environment')).toBe('environment');
    expect(faultCategory('device_comms_lost', 'ups-1', 'ups')).toBe('communication');
    expect(faultCategory('device_data_stale', 'crac-1', 'crac')).toBe('communication');
    expect(faultCategory('influx_unreachable', 'roomwatch', '-')).toBe('roomwatch');
  });
});
