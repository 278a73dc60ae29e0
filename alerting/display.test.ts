import { describe, expect, it } from 'vitest';
import { describeThreshold } from './core/rule.js';
import { describeFormat, displayOf, formatReading, formatValue, localizedDisplay, marksOf } from './display.js';
import { testRoom } from '../test/helpers/render-room.js';

const room = testRoom();
const { directory } = room;

describe('alert display', () => {
  it('names the state a state rule is about, in each language, and describes its condition by name', () => {
    const onBattery = room.alert('ups-1', 'ups_on_battery', { value: 5 });
    expect(displayOf(onBattery, directory, 'zh-CN')).toEqual({ value: '电池供电', threshold: '= 电池供电', state: true, byState: true });
    expect(displayOf(onBattery, directory, 'en')).toEqual({ value: 'on battery', threshold: '= on battery', state: true, byState: true });
    // The journal keeps the plain condition; only the display names it.
    expect(onBattery.threshold).toBe('= 5');
  });

  it('names every state a rule lists, and a value the template does not name shows raw, in brackets', () => {
    const bypass = room.alert('ups-2', 'ups_on_bypass', { value: 42 });
    expect(displayOf(bypass, directory, 'zh-CN')).toEqual({ value: '未命名状态 (42)', threshold: '= 软件旁路 / 手动旁路 / 故障旁路', state: true, byState: true });
    expect(displayOf(bypass, directory, 'en').value).toBe('unnamed state (42)');
  });

  it('shows numbers with their units, and a threshold as configured (an override of the template limit)', () => {
    const low = room.alert('meter-1', 'phase_voltage_low', { value: 187.346, labels: { phase: '2' } });
    expect(displayOf(low, directory, 'zh-CN')).toEqual({ value: '187.35 V', threshold: '< 200 V', state: false, byState: false });
    expect(displayOf(low, directory, 'en')).toEqual({ value: '187.35 V', threshold: '< 200 V', state: false, byState: false });
  });

  it('writes degC as °C, and an enum or bool unit not at all', () => {
    const hot = room.alert('th-1', 'inlet_temperature_critical', { value: 33.1 });
    expect(formatValue(hot, directory, 'en')).toBe('33.1 °C');
    expect(displayOf(hot, directory, 'zh-CN').threshold).toBe('> 32 °C');
  });

  it('shows a leak as the state it is, and comms loss as "not answering" with its condition in words', () => {
    expect(displayOf(room.alert('leak-1', 'water_leak', { value: 1 }), directory, 'zh-CN')).toEqual({ value: '检测到漏水', threshold: '= 检测到漏水', state: true, byState: true });
    const comms = room.alert('crac-2', 'device_comms_lost', { value: 0 });
    expect(localizedDisplay(comms, directory)).toEqual({
      'zh-CN': { value: '无应答', threshold: '连续 3 次轮询无应答', state: true, byState: false },
      en: { value: 'not answering', threshold: '3 polls without answer', state: true, byState: false },
    });
  });

  it('marks an active alert that is flapping or latched, and a resolved one not at all', () => {
    const leak = room.alert('leak-1', 'water_leak', { value: 0 });
    expect(marksOf(leak, 'zh-CN')).toEqual([]);
    leak.latchedAt = 1;
    leak.flapping = true;
    expect(marksOf(leak, 'zh-CN')).toEqual(['频繁波动中', '已锁存，待确认']);
    expect(marksOf(leak, 'en')).toEqual(['flapping', 'latched, awaiting acknowledgement']);
    expect(marksOf({ ...leak, status: 'resolved' }, 'en')).toEqual([]);
  });

  it('keeps the text an alert was raised with when its rule is gone from the config', () => {
    const gone = { ...room.alert('ups-1', 'ups_battery_low', { value: 3 }), rule: 'rule_removed_since', threshold: '= 3' };
    expect(displayOf(gone, directory, 'zh-CN').threshold).toBe('= 3');
  });

  it('formats context readings with the field as people call it and the reading\'s unit', () => {
    const info = directory.get('ups-1');
    expect(formatReading({ measurement: 'ups', field: 'battery_charge', value: 96, unit: '%', at: 0 }, info, 'zh-CN')).toBe('电池电量 96 %');
    expect(formatReading({ measurement: 'ups', field: 'battery_runtime_remaining', value: 28.3333, unit: 'min', at: 0 }, info, 'en')).toBe('runtime remaining 28.33 min');
    expect(formatReading({ measurement: 'ups', field: 'battery_charge', value: null, at: 0 }, info, 'zh-CN')).toBe('电池电量 无数据');
    expect(formatReading({ measurement: 'device_health', field: 'error', value: 'request timed out', at: 0 }, info, 'zh-CN')).toBe('错误信息「request timed out」');
    expect(formatReading({ measurement: 'device_health', field: 'error', value: 'request timed out', at: 0 }, info, 'en')).toBe('error "request timed out"');
    expect(formatReading({ measurement: 'crac', field: 'temperature', tags: { sensor: 'return_air' }, value: 27, unit: 'degC', at: 0 }, directory.get('crac-1'), 'zh-CN')).toBe('温度 (sensor=return_air) 27 °C');
  });

  it('describes the condition of every kind through the formatter, and as before without one', () => {
    const ups = room.rules.allFor('ups-1');
    const stale = ups.find((r) => r.name === 'device_data_stale')!;
    expect(describeThreshold(stale)).toMatch(/^no data for \d+ s$/);
    expect(describeThreshold(stale, describeFormat(directory.get('ups-1'), 'zh-CN'))).toMatch(/^超过 \d+ 秒无数据$/);
    const deltaT = room.rules.allFor('crac-1').find((r) => r.name === 'crac_delta_t_low')!;
    expect(describeThreshold(deltaT)).toBe('return_air − supply_air < 3 (operating_state = 1)');
    expect(describeThreshold(deltaT, describeFormat(directory.get('crac-1'), 'zh-CN'))).toBe('return_air − supply_air < 3 °C (operating_state = 运行)');
  });
});
