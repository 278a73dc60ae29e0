import { describe, expect, it, vi } from 'vitest';
import { MIN, config, engine, keepPolling, poll, start, useEngineBed } from '../test/helpers/engine-bed.js';

useEngineBed();

describe('AlertEngine context readings', () => {
  it('an on-battery alert carries the battery charge and runtime remaining read with it, with their units', () => {
    const cfg = config();
    start(cfg);
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 3, 'ups.battery_charge': 100, 'ups.battery_runtime_remaining': 40, 'ups.battery_temperature': 24 }));
    engine.onPoll(poll(cfg, 'ups-1', { 'ups.output_source': 5, 'ups.battery_charge': 96, 'ups.battery_runtime_remaining': 28, 'ups.battery_temperature': 24 }));
    const alert = engine.book.active().find((a) => a.rule === 'ups_on_battery')!;
    expect(alert.context).toEqual([
      { measurement: 'ups', field: 'battery_charge', value: 96, unit: '%', at: Date.now() },
      { measurement: 'ups', field: 'battery_runtime_remaining', value: 28, unit: 'min', at: Date.now() },
    ]);
  });

  it('a comms-lost alert carries the error the collector recorded for the device', async () => {
    const cfg = config();
    start(cfg);
    for (let i = 0; i < 3; i++) {
      const failed = poll(cfg, 'meter-1', {}, false);
      failed.readings.push({ measurement: 'device_health', field: 'error', tags: failed.device.tags, value: `Modbus TCP 10.0.0.2:502: timed out after 1000 ms (poll ${i + 1})`, source: 'roomwatch', time: failed.time });
      engine.onPoll(failed);
      await vi.advanceTimersByTimeAsync(10_000);
    }
    const alert = engine.book.active().find((a) => a.rule === 'device_comms_lost')!;
    expect(alert.context).toEqual([{ measurement: 'device_health', field: 'error', value: 'Modbus TCP 10.0.0.2:502: timed out after 1000 ms (poll 3)', at: Date.now() - 10_000 }]);
  });

  it('a Modbus CRAC that is off lists its fault bits as context, so its message shows which reads 1', async () => {
    const cfg = config('', '  - { id: crac-2, name: 2号精密空调, site: s1, room: r1, template: crac-modbus-generic, modbus: { transport: tcp, host: 10.0.0.4 } }');
    start(cfg);
    const bits = { 'crac.alarm_compressor_high_pressure': 1, 'crac.alarm_compressor_low_pressure': 0, 'crac.alarm_fan_failure': 0, 'crac.alarm_power_loss': 0, 'crac.alarm_water_under_floor': 0, 'crac.alarm_filter_clogged': 0, 'crac.alarm_sensor_fault': 0 };
    keepPolling(cfg, { 'crac-2': { 'crac.operating_state': 0, ...bits } });
    await vi.advanceTimersByTimeAsync(6 * MIN);
    const off = engine.book.active().find((a) => a.rule === 'crac_unit_off')!;
    const shown = Object.fromEntries(off.context!.filter((c) => c.field.startsWith('alarm_')).map((c) => [c.field, c.value]));
    expect(shown).toEqual(Object.fromEntries(Object.entries(bits).map(([k, v]) => [k.slice('crac.'.length), v])));
    expect(off.context!.find((c) => c.field === 'alarm_compressor_high_pressure')).toMatchObject({ value: 1, unit: 'bool' });
  });
});
