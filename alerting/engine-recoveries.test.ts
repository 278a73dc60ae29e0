import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MIN, boss, config, duty, engine, keepPolling, poll, start, useEngineBed, failPolls } from '../test/helpers/engine-bed.js';

useEngineBed();

describe('AlertEngine recoveries', () => {
  it('sends nothing for an alert that resolved within group_wait, before its opening went out', async () => {
    const cfg = config();
    start(cfg);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 4 }));
    await vi.advanceTimersByTimeAsync(4_000);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 3 }));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.alerts().recent().map((a) => `${a.rule}:${a.status}`)).toEqual(['ups_on_bypass:resolved']);
    expect(duty.names()).toEqual([]);
  });

  it('sends nothing for an alert silenced all its life', async () => {
    const cfg = config();
    start(cfg);
    engine.addSilence({ matchers: { device: 'ups-1' }, startsAt: Date.now(), endsAt: Date.now() + 5 * MIN, author: '张工', reason: '更换电池' });
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 4 }));
    await vi.advanceTimersByTimeAsync(MIN);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 3 }));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.alerts().recent()[0]).toMatchObject({ rule: 'ups_on_bypass', status: 'resolved', told: [] });
    expect(duty.names()).toEqual([]);
  });

  it('sends nothing for an alert whose silence ended but which resolved before the opening went out', async () => {
    const cfg = config();
    start(cfg);
    const silence = engine.addSilence({ matchers: { device: 'ups-1' }, startsAt: Date.now(), endsAt: Date.now() + 5 * MIN, author: '张工', reason: '更换电池' });
    const ups = { 'ups.output_source': 4 };
    keepPolling(cfg, { 'ups-1': ups });
    await vi.advanceTimersByTimeAsync(MIN + 1_000);
    expect(duty.names()).toEqual([]);
    engine.expireSilence(silence.id);
    // The next tick tells people of the opening; it gathers for group_wait and the UPS is back meanwhile.
    await vi.advanceTimersByTimeAsync(2_000);
    ups['ups.output_source'] = 3;
    engine.onPoll(poll(cfg, 'ups-1', ups));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.alerts().recent().map((a) => `${a.rule}:${a.status}`)).toEqual(['ups_on_bypass:resolved']);
    expect(duty.names()).toEqual([]);
  });

  it('sends nothing for an alert inhibited all its life', async () => {
    const cfg = config();
    start(cfg);
    await failPolls(cfg, ['meter-1']);
    for (let i = 0; i < 5; i++) {
      engine.onPoll(poll(cfg, 'meter-1', { 'power_meter.frequency': 51 }, false));
      await vi.advanceTimersByTimeAsync(10_000);
    }
    expect(engine.book.active().map((a) => a.rule).sort()).toEqual(['device_comms_lost', 'frequency_deviation']);
    engine.onPoll(poll(cfg, 'meter-1', { 'power_meter.frequency': 50 }, false));
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.alerts().recent().map((a) => `${a.rule}:${a.status}`)).toContain('frequency_deviation:resolved');
    expect(duty.names()).toEqual(['device_comms_lost:firing']);
  });

  it('sends a recovery only to the receivers that got the opening, after a restart that added a receiver', async () => {
    const cfg = config();
    start(cfg);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 4 }));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(duty.names()).toEqual(['ups_on_bypass:firing']);
    await engine.stop();
    vi.clearAllTimers();
    // The new config routes everything to boss as well; boss never heard of the opening.
    start({ ...cfg, alerting: { ...cfg.alerting, routes: [{ receivers: ['duty', 'boss'] }] } });
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 3 }));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(duty.names()).toEqual(['ups_on_bypass:resolved']);
    expect(boss.names()).toEqual([]);
  });

  it('replays a journal written before `told`: the alerts it sent recover to their routes, the ones it held to nobody', async () => {
    // testcases/journal-v0 was taken ~110 s into this config's run; restart after that.
    await vi.advanceTimersByTimeAsync(2 * MIN);
    const cfg = config();
    mkdirSync(cfg.alerting.stateDir, { recursive: true });
    copyFileSync(new URL('state/testcases/journal-v0/journal.ndjson', import.meta.url), join(cfg.alerting.stateDir, 'journal.ndjson'));
    start(cfg);
    const ups = { 'ups.output_source': 4, 'ups.battery_temperature': 31 };
    const meter = { 'power_meter.frequency': 51 };
    keepPolling(cfg, { 'ups-1': ups, 'meter-1': meter });
    await vi.advanceTimersByTimeAsync(15_000);
    // The opening still gathering when the old process stopped goes out now.
    expect(duty.names()).toEqual(['ups_battery_hot:firing']);
    duty.sent.length = 0;
    Object.assign(ups, { 'ups.output_source': 3, 'ups.battery_temperature': 20 });
    meter['power_meter.frequency'] = 50;
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(engine.book.active()).toEqual([]);
    // Sent before (told ['*']) or since (told ['duty']): a recovery. Silenced, inhibited, superseded: none.
    expect(duty.names().sort()).toEqual(['device_comms_lost:resolved', 'ups_battery_hot:resolved']);
  });
});
