import { describe, expect, it } from 'vitest';
import { selfSamples } from './samples.js';

describe('self-monitoring samples', () => {
  it('turn roomwatch\'s own health into samples of the roomwatch device at the given time', () => {
    const samples = selfSamples(5_000, 2, { influxReachable: false, spoolFillPercent: 55, pollerOverruns: 1, configReloadRejected: true });
    expect(samples.map((s) => [s.field, s.value])).toEqual([
      ['notifications_failed', 2], ['influxdb_reachable', 0], ['spool_fill_percent', 55], ['poller_overruns', 1], ['config_reload_rejected', 1],
    ]);
    expect(samples.every((s) => s.measurement === 'roomwatch' && s.tags.device === 'roomwatch' && s.time === 5_000)).toBe(true);
  });

  it('report only failing notifications when nobody tells alerting the rest', () => {
    expect(selfSamples(0, 0, undefined).map((s) => s.field)).toEqual(['notifications_failed']);
  });
});
