import { describe, expect, it } from 'vitest';
import { config } from '../../test/helpers/engine-bed.js';
import { continuousQueries, downsamplePlan, downsampleRange, sameQuery } from './downsample.js';

const cfg = config();
const plan = downsamplePlan(cfg.templates.values());
const aggregates = (measurement: string) => Object.fromEntries((plan.get(measurement) ?? []).map((f) => [f.field, f.aggregate]));

describe('downsampling plan from the templates', () => {
  it('averages numbers, keeps the last state of enumerations, the maximum of alarm flags, and leaves text out', () => {
    const ups = aggregates('ups');
    expect(ups.output_load).toBe('mean');
    expect(ups.battery_status).toBe('last');
    expect(ups.output_source).toBe('last');
    expect(ups).not.toHaveProperty('active_alarm');
    const leak = cfg.templates.get('leak-detector-modbus')!;
    const flag = leak.points.find((p) => p.unit === 'bool')!;
    expect(aggregates(flag.measurement)[flag.field]).toBe('max');
    const text = [...cfg.templates.values()].flatMap((t) => t.points).filter((p) => ('valueType' in p && p.valueType === 'string') || ('type' in p && p.type === 'string'));
    expect(text.length).toBeGreaterThan(0);
    for (const p of text) expect(aggregates(p.measurement)).not.toHaveProperty(p.field);
  });

  it('keeps a device down anywhere in the window down, and an alert anywhere in it shown', () => {
    expect(aggregates('device_health')).toEqual({ comms: 'min', poll_duration_ms: 'mean', points_read: 'mean', points_missing: 'mean' });
    expect(aggregates('alert_status')).toEqual({ active: 'max', unacknowledged: 'max' });
  });

  it('writes one CQ per measurement that keeps field names, and the same statement for a past range', () => {
    const target = { database: 'roomwatch', intervalMs: 300_000 };
    const cqs = continuousQueries(plan, target);
    expect(cqs.map((c) => c.name).sort()).toEqual([...plan.keys()].map((m) => `roomwatch_downsample_${m}`).sort());
    const health = cqs.find((c) => c.name === 'roomwatch_downsample_device_health')!;
    expect(health.query).toBe(
      'SELECT min("comms") AS "comms", mean("points_missing") AS "points_missing", mean("points_read") AS "points_read", mean("poll_duration_ms") AS "poll_duration_ms" INTO "roomwatch"."long_term"."device_health" FROM "roomwatch"."raw"."device_health" GROUP BY time(5m), *',
    );
    const ranged = downsampleRange(plan, target, 1_800_000_000_000, 1_800_000_300_000);
    expect(ranged).toHaveLength(cqs.length);
    expect(ranged.find((q) => q.includes('."device_health" FROM'))).toBe(health.query.replace(' GROUP BY', ' WHERE time >= 1800000000000ms AND time < 1800000300000ms GROUP BY'));
  });

  it('recognises its statement in influxd\'s re-printed form and a changed one as changed', () => {
    const wanted = 'SELECT max("active") AS "active" INTO "db"."long_term"."alert_status" FROM "db"."raw"."alert_status" GROUP BY time(5m), *';
    const stored = 'CREATE CONTINUOUS QUERY roomwatch_downsample_alert_status ON db BEGIN SELECT max(active) AS active INTO db.long_term.alert_status FROM db.raw.alert_status GROUP BY time(5m), * END';
    expect(sameQuery(stored, wanted)).toBe(true);
    expect(sameQuery(stored, wanted.replace('time(5m)', 'time(10m)'))).toBe(false);
  });
});
