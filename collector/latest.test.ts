import { describe, expect, it } from 'vitest';
import type { DeviceSpec } from '../common/contracts/device.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { Reading } from '../common/contracts/reading.js';
import { loadTestConfig, writeApiTestConfig } from '../test/helpers/api-config.js';
import { healthReadings } from './health.js';
import { LatestReadings } from './latest.js';

const config = loadTestConfig(writeApiTestConfig());
const meter = config.devices.find((d) => d.id === 'meter-1')!;
const T0 = Date.parse('2026-12-01T08:00:00Z');

function reading(device: DeviceSpec, field: string, value: Reading['value'], time: number, tags: Record<string, string> = {}): Reading {
  return { measurement: device.template.measurement, field, tags: { ...device.tags, ...tags }, value, source: 'fc4:0', time };
}

/** A poll as the scheduler hands it on: the device's readings and its health readings after them. */
function poll(device: DeviceSpec, time: number, ok: boolean, readings: Reading[], error?: string): PollOutcome {
  const outcome: PollOutcome = { device, time, durationMs: 41.27, ok, readings, ...(error ? { error } : {}) };
  return { ...outcome, readings: [...readings, ...healthReadings(outcome)] };
}

describe('LatestReadings', () => {
  it('says unknown before the first poll, for configured devices only', () => {
    const latest = new LatestReadings(config.devices);
    expect(latest.get('meter-1')).toEqual({ status: 'unknown', readings: [] });
    expect(latest.get('no-such-device')).toBeUndefined();
  });

  it('keeps the latest value of each point with the template unit and its own tags, without the health measurement', () => {
    const latest = new LatestReadings(config.devices);
    latest.record(poll(meter, T0, true, [reading(meter, 'voltage', 229.5, T0, { phase: '1' }), reading(meter, 'voltage', 231, T0, { phase: '2' }), reading(meter, 'frequency', 50.01, T0)]));
    latest.record(poll(meter, T0 + 5000, true, [reading(meter, 'voltage', 230.2, T0 + 5000, { phase: '1' })]));
    const state = latest.get('meter-1')!;
    expect(state).toMatchObject({ status: 'up', lastPollAt: T0 + 5000, lastOkAt: T0 + 5000, pollDurationMs: 41.3 });
    expect(state.lastError).toBeUndefined();
    expect(state.readings).toEqual([
      { measurement: 'power_meter', field: 'voltage', tags: { phase: '1' }, value: 230.2, unit: 'V', at: T0 + 5000 },
      { measurement: 'power_meter', field: 'voltage', tags: { phase: '2' }, value: 231, unit: 'V', at: T0 },
      { measurement: 'power_meter', field: 'frequency', value: 50.01, unit: 'Hz', at: T0 },
    ]);
  });

  it('goes down on a failed poll, keeping the last good time and the readings it had', () => {
    const latest = new LatestReadings(config.devices);
    latest.record(poll(meter, T0, true, [reading(meter, 'frequency', 50, T0)]));
    latest.record(poll(meter, T0 + 5000, false, [], `timed out after 300 ms ${'x'.repeat(500)}`));
    const state = latest.get('meter-1')!;
    expect(state).toMatchObject({ status: 'down', lastPollAt: T0 + 5000, lastOkAt: T0 });
    expect(state.lastError).toMatch(/^timed out after 300 ms x+$/);
    expect(state.lastError!.length).toBe(200);
    expect(state.readings).toEqual([{ measurement: 'power_meter', field: 'frequency', value: 50, unit: 'Hz', at: T0 }]);
    latest.record(poll(meter, T0 + 10_000, true, [reading(meter, 'frequency', null, T0 + 10_000)]));
    expect(latest.get('meter-1')).toMatchObject({ status: 'up', lastOkAt: T0 + 10_000, readings: [{ field: 'frequency', value: null, at: T0 + 10_000 }] });
    expect(latest.get('meter-1')!.lastError).toBeUndefined();
  });

  it('holds at most 32 readings per template point however many instances a device invents', () => {
    const latest = new LatestReadings(config.devices);
    const flood = Array.from({ length: 5000 }, (_, i) => reading(meter, 'voltage', i, T0, { phase: `x${i}` }));
    latest.record(poll(meter, T0, true, flood));
    latest.record(poll(meter, T0 + 1, true, flood.map((r) => ({ ...r, tags: { ...r.tags, phase: `y${r.value}` } }))));
    const held = latest.get('meter-1')!.readings;
    expect(held.length).toBe(meter.template.points.length * 32);
    // Points it already holds keep updating once it is full.
    latest.record(poll(meter, T0 + 2, true, [reading(meter, 'voltage', -1, T0 + 2, { phase: 'x0' })]));
    expect(latest.get('meter-1')!.readings.find((r) => r.tags?.phase === 'x0')).toMatchObject({ value: -1, at: T0 + 2 });
  });

  it('ignores polls of devices it was not built with (a poll racing a reload)', () => {
    const latest = new LatestReadings(config.devices.filter((d) => d.id !== 'meter-1'));
    latest.record(poll(meter, T0, true, [reading(meter, 'frequency', 50, T0)]));
    expect(latest.get('meter-1')).toBeUndefined();
  });
});
