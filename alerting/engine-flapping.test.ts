import { describe, expect, it, vi } from 'vitest';
import { MIN, config, duty, engine, keepPolling, start, useEngineBed } from '../test/helpers/engine-bed.js';

useEngineBed();

/** What each message to the on-duty receiver said, alert by alert: rule and event (opened, flapping, resolved). */
const told = () =>
  duty.sent.flatMap((m) => (m.body.alerts as unknown as Array<{ labels: { alertname: string }; annotations: { event: string } }>).map((a) => `${a.labels.alertname}:${a.annotations.event}`));

// crac-1 stayed "firing value=1" for eight minutes while it read inactive: a flapping alert must
// show what the device reads now, and stay one alert until the flapping calms down.
describe('AlertEngine with a flapping series', () => {
  const bypass = () => engine.book.active().find((a) => a.rule === 'ups_on_bypass');

  /** ups-1 polled every 10 s, its output source switching between bypass (4) and normal (3) every minute, six times. */
  const flap = async () => {
    const cfg = config();
    start(cfg);
    const ups = { 'ups.output_source': 4 };
    keepPolling(cfg, { 'ups-1': ups });
    for (const source of [3, 4, 3, 4, 3]) {
      await vi.advanceTimersByTimeAsync(MIN);
      ups['ups.output_source'] = source;
    }
    await vi.advanceTimersByTimeAsync(MIN);
    return ups;
  };

  it('after six changes sends one flapping notice and keeps one alert showing the value it reads now', async () => {
    const ups = await flap();
    // The sixth change (back to normal) starts flapping: its notice goes out, its recovery does not.
    expect(told()).toEqual(['ups_on_bypass:opened', 'ups_on_bypass:resolved', 'ups_on_bypass:opened', 'ups_on_bypass:resolved', 'ups_on_bypass:opened', 'ups_on_bypass:flapping']);
    const flapping = bypass()!;
    expect(flapping).toMatchObject({ status: 'firing', flapping: true, value: 3, condition: 'cleared' });
    for (const source of [4, 3, 4]) {
      ups['ups.output_source'] = source;
      await vi.advanceTimersByTimeAsync(MIN);
      expect(bypass()).toMatchObject({ id: flapping.id, flapping: true, value: source, condition: source === 4 ? 'holds' : 'cleared' });
    }
    expect(told()).toHaveLength(6);
  });

  it('resolves once, with one recovery, when a calm window finds it clear', async () => {
    const ups = await flap();
    const flapping = bypass()!;
    ups['ups.output_source'] = 3;
    await vi.advanceTimersByTimeAsync(29 * MIN);
    expect(bypass()).toMatchObject({ id: flapping.id, flapping: true });
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(bypass()).toBeUndefined();
    expect(engine.alerts().recent()[0]).toMatchObject({ id: flapping.id, status: 'resolved', flapping: false, condition: 'cleared', resolution: { reason: 'cleared' } });
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(told().slice(6)).toEqual(['ups_on_bypass:resolved']);
  });

  it('goes on as one firing alert, with nothing more sent, when a calm window finds it firing', async () => {
    const ups = await flap();
    const flapping = bypass()!;
    ups['ups.output_source'] = 4;
    await vi.advanceTimersByTimeAsync(35 * MIN);
    expect(bypass()).toMatchObject({ id: flapping.id, status: 'firing', flapping: false, value: 4, condition: 'holds' });
    expect(told()).toHaveLength(6);
  });

  it('starting to flap as it opens, sends its flapping notice as its opening, and its recovery to those who got it', async () => {
    const cfg = config('  flapping_changes: 3');
    start(cfg);
    const ups = { 'ups.output_source': 4 };
    keepPolling(cfg, { 'ups-1': ups });
    for (const source of [3, 4]) {
      await vi.advanceTimersByTimeAsync(MIN);
      ups['ups.output_source'] = source;
    }
    await vi.advanceTimersByTimeAsync(MIN);
    // The third change opens the alert again, flapping: the notice says so instead of a second opening.
    expect(told()).toEqual(['ups_on_bypass:opened', 'ups_on_bypass:resolved', 'ups_on_bypass:flapping']);
    expect(bypass()).toMatchObject({ flapping: true, value: 4, condition: 'holds' });
    ups['ups.output_source'] = 3;
    await vi.advanceTimersByTimeAsync(35 * MIN);
    expect(bypass()).toBeUndefined();
    expect(told()).toEqual(['ups_on_bypass:opened', 'ups_on_bypass:resolved', 'ups_on_bypass:flapping', 'ups_on_bypass:resolved']);
  });
});
