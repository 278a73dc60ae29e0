import { describe, expect, it, vi } from 'vitest';
import { MIN, config, duty, engine, keepPolling, start, useEngineBed } from '../test/helpers/engine-bed.js';

useEngineBed();

describe('AlertEngine with a latched rule', () => {
  const LEAK_DEVICE = '  - { id: leak-1, name: 主机房漏水, site: s1, room: r1, template: leak-detector-modbus, modbus: { transport: tcp, host: 10.0.0.4 } }';
  const leakAlert = () => engine.book.active().find((a) => a.rule === 'water_leak');
  /** The engine running with leak-1 polled every 10 s, wet long enough for its alert to have gone out. */
  const wetLeak = async () => {
    const cfg = config('', LEAK_DEVICE);
    start(cfg);
    const leak = { 'leak.leak_detected': 1 };
    keepPolling(cfg, { 'leak-1': leak });
    await vi.advanceTimersByTimeAsync(25_000);
    return { cfg, leak };
  };

  it('keeps a leak active after it dries, until someone acknowledges it; the ack resolves it and one recovery goes out', async () => {
    const { leak } = await wetLeak();
    expect(duty.names()).toEqual(['water_leak:firing']);
    const wet = leakAlert()!;
    expect(wet.latchedAt).toBeUndefined();
    leak['leak.leak_detected'] = 0;
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(leakAlert()).toMatchObject({ id: wet.id, status: 'firing', value: 0, latchedAt: expect.any(Number) as number });
    expect(duty.names()).toEqual(['water_leak:firing']);
    expect(engine.acknowledge(wet.id, '值班员李工', '已到现场，地面已干')).toMatchObject({ id: wet.id, status: 'resolved', ack: { by: '值班员李工' } });
    expect(leakAlert()).toBeUndefined();
    expect(engine.alerts().recent()[0]).toMatchObject({ id: wet.id, status: 'resolved' });
    expect(engine.alerts().recent()[0]!.latchedAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(MIN);
    expect(duty.names()).toEqual(['water_leak:firing', 'water_leak:resolved']);
  });

  it('acknowledged while still wet, stays active and acknowledged, and resolves when it dries', async () => {
    const { leak } = await wetLeak();
    const wet = leakAlert()!;
    expect(engine.acknowledge(wet.id, '值班员李工')).toMatchObject({ status: 'acknowledged' });
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(leakAlert()).toMatchObject({ id: wet.id, status: 'acknowledged' });
    expect(duty.names()).toEqual(['water_leak:firing']);
    leak['leak.leak_detected'] = 0;
    await vi.advanceTimersByTimeAsync(MIN);
    expect(leakAlert()).toBeUndefined();
    expect(duty.names()).toEqual(['water_leak:firing', 'water_leak:resolved']);
  });

  it('is wet again while latched: the same alert, no longer latched, and no new notice', async () => {
    const { leak } = await wetLeak();
    const first = leakAlert()!;
    leak['leak.leak_detected'] = 0;
    await vi.advanceTimersByTimeAsync(MIN);
    expect(leakAlert()!.latchedAt).toEqual(expect.any(Number));
    leak['leak.leak_detected'] = 1;
    await vi.advanceTimersByTimeAsync(MIN);
    expect(leakAlert()).toMatchObject({ id: first.id, status: 'firing', value: 1 });
    expect(leakAlert()!.latchedAt).toBeUndefined();
    expect(duty.names()).toEqual(['water_leak:firing']);
  });

  it('stays latched across a restart between drying and the ack, which then resolves it with one recovery', async () => {
    const { cfg, leak } = await wetLeak();
    leak['leak.leak_detected'] = 0;
    await vi.advanceTimersByTimeAsync(MIN);
    const latched = leakAlert()!;
    expect(latched.latchedAt).toEqual(expect.any(Number));
    await engine.stop();
    vi.clearAllTimers();
    start(cfg);
    keepPolling(cfg, { 'leak-1': leak });
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(leakAlert()).toMatchObject({ id: latched.id, status: 'firing', latchedAt: latched.latchedAt });
    expect(duty.sent).toHaveLength(0);
    expect(engine.acknowledge(latched.id, '值班员李工')).toMatchObject({ status: 'resolved' });
    await vi.advanceTimersByTimeAsync(MIN);
    expect(duty.names()).toEqual(['water_leak:resolved']);
    expect(leakAlert()).toBeUndefined();
  });

  it('resumes a latched alert after a restart so the next wet reading is the same alert wet again', async () => {
    const { cfg, leak } = await wetLeak();
    leak['leak.leak_detected'] = 0;
    await vi.advanceTimersByTimeAsync(MIN);
    const latched = leakAlert()!;
    await engine.stop();
    vi.clearAllTimers();
    start(cfg);
    leak['leak.leak_detected'] = 1;
    keepPolling(cfg, { 'leak-1': leak });
    await vi.advanceTimersByTimeAsync(MIN);
    expect(leakAlert()).toMatchObject({ id: latched.id, status: 'firing', value: 1 });
    expect(leakAlert()!.latchedAt).toBeUndefined();
    expect(duty.sent).toHaveLength(0);
  });

  it('does not latch a rule config unlatches, nor one its template does not latch', async () => {
    const cfg = config(`  rules:
    - { name: water_leak, match: { device: leak-1 }, latch: false }`, LEAK_DEVICE);
    start(cfg);
    const leak = { 'leak.leak_detected': 1, 'leak.cable_broken': 1 };
    keepPolling(cfg, { 'leak-1': leak });
    await vi.advanceTimersByTimeAsync(25_000);
    leak['leak.leak_detected'] = 0;
    leak['leak.cable_broken'] = 0;
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.book.active()).toEqual([]);
    expect(duty.names().sort()).toEqual(['leak_cable_broken:firing', 'leak_cable_broken:resolved', 'water_leak:firing', 'water_leak:resolved']);
  });
});

// The system clock stepped under a running daemon (NTP fixing a wrong clock, `date -s`, a VM
// resumed): durations are measured on the monotonic clock, so the step decides nothing. Fake
// timers move Date and performance together; setSystemTime steps Date alone, as a real step does.
