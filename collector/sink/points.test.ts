import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { eventToPoint } from './points.js';
import { Spool } from './spool.js';

describe('alert events as points', () => {
  it('carry the retention policy and a nanosecond time of the millisecond plus the sub-millisecond part', () => {
    const point = eventToPoint('alert_events', 'events', { time: 1_796_184_618_000, subMs: 42, tags: { site: 'hz', phase: '2', empty: '' }, fields: { alert_id: 'a1' } });
    expect(point).toEqual({ m: 'alert_events', rp: 'events', ts: 1_796_184_618_000, ns: '1796184618000000042', t: { phase: '2', site: 'hz' }, f: { alert_id: 'a1' } });
    expect(eventToPoint('alert_events', 'events', { time: 5, subMs: 999_999, tags: {}, fields: {} }).ns).toBe('5999999');
  });

  it('keep both through a spool segment read back from disk (a restart)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spool-'));
    const log = pino({ level: 'silent' });
    const point = eventToPoint('alert_events', 'events', { time: 1000, subMs: 7, tags: { site: 'hz' }, fields: { alert_id: 'a1' } });
    new Spool(dir, 1 << 20, log).append([point]);
    const reopened = new Spool(dir, 1 << 20, log);
    reopened.open();
    expect(reopened.peek()?.points).toEqual([point]);
  });
});
