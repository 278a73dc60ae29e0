import type { Alert, ContextReading } from './alerts.js';
import type { DescribeFormat, PointRef } from './core/kinds/kind.js';
import type { StateName } from '../common/contracts/device.js';
import type { DeviceInfo, Directory } from './notify/directory.js';

/** The languages messages, the API and the CLI speak. */
export type Language = 'zh-CN' | 'en';

/**
 * Points roomwatch itself produces, which no template declares: the health point every device gets
 * and roomwatch's own. Named here so their alerts read like any other state.
 */
const BUILT_IN_STATES: Readonly<Record<string, Readonly<Record<string, StateName>>>> = {
  'device_health.comms': { '0': { en: 'not answering', 'zh-CN': '无应答' }, '1': { en: 'answering', 'zh-CN': '正常' } },
  'roomwatch.influxdb_reachable': { '0': { en: 'unreachable', 'zh-CN': '无法连接' }, '1': { en: 'reachable', 'zh-CN': '正常' } },
  'roomwatch.config_reload_rejected': { '0': { en: 'accepted', 'zh-CN': '正常' }, '1': { en: 'rejected', 'zh-CN': '已拒绝' } },
};
/** A stale-data alert's value is the seconds since the device last answered (kinds/stale.ts). */
const BUILT_IN_UNITS: Readonly<Record<string, string>> = { '*.*': 's' };

/** Units that say what a value is, not how much: the number (or state name) stands alone. */
const UNIT_TEXT: Readonly<Record<string, string>> = { degC: '°C', degF: '°F', enum: '', bool: '', count: '', ratio: '' };

/**
 * The readings rules name as context, as people call them. Fields not listed show their own
 * name: a template may name any of its points.
 */
const FIELD_NAMES: Readonly<Record<string, StateName>> = {
  battery_charge: { en: 'battery charge', 'zh-CN': '电池电量' },
  battery_runtime_remaining: { en: 'runtime remaining', 'zh-CN': '剩余后备时间' },
  battery_temperature: { en: 'battery temperature', 'zh-CN': '电池温度' },
  output_load: { en: 'output load', 'zh-CN': '输出负载' },
  leak_position: { en: 'leak position', 'zh-CN': '漏水位置' },
  temperature: { en: 'temperature', 'zh-CN': '温度' },
  humidity: { en: 'humidity', 'zh-CN': '湿度' },
  voltage: { en: 'voltage', 'zh-CN': '电压' },
  voltage_line: { en: 'line voltage', 'zh-CN': '线电压' },
  power_active_total: { en: 'active power', 'zh-CN': '有功功率' },
  power_reactive_total: { en: 'reactive power', 'zh-CN': '无功功率' },
  compressor_running: { en: 'compressor', 'zh-CN': '压缩机' },
  fan_running: { en: 'fan', 'zh-CN': '风机' },
  cooling_capacity: { en: 'cooling capacity', 'zh-CN': '制冷量' },
  cooling_state: { en: 'cooling', 'zh-CN': '制冷状态' },
  operating_state: { en: 'operating state', 'zh-CN': '运行状态' },
  system_state: { en: 'system state', 'zh-CN': '系统状态' },
  active_alarm: { en: 'active alarm', 'zh-CN': '当前告警' },
  active_condition: { en: 'active condition', 'zh-CN': '当前告警' },
  error: { en: 'error', 'zh-CN': '错误信息' },
};

const NO_VALUE: Readonly<Record<Language, string>> = { en: 'no value', 'zh-CN': '无数据' };

/** What an alert's value and condition read as, in one language. */
export interface AlertDisplay {
  /** The state's name (电池供电) or the number with its unit (33.1 °C); absent when the alert has no value. */
  value?: string;
  /** The condition ("= 电池供电", "< 198 V"). */
  threshold: string;
  /** The value is a state (a point with named values): messages say 当前状态, not 当前值. */
  state: boolean;
  /** The condition is a list of states (a state rule): the state's name says it, so messages leave it out. */
  byState: boolean;
}

/** An alert's value and condition in both languages: what the API and CLI show beside the raw fields. */
export type LocalizedDisplay = Record<Language, AlertDisplay>;

function statesOf(info: DeviceInfo, point: Pick<PointRef, 'measurement' | 'field'>): Readonly<Record<string, StateName>> | undefined {
  const key = `${point.measurement}.${point.field}`;
  return info.states?.[key] ?? BUILT_IN_STATES[key];
}

function unitOf(info: DeviceInfo, point: Pick<PointRef, 'measurement' | 'field'>): string {
  const key = `${point.measurement}.${point.field}`;
  const unit = info.units[key] ?? BUILT_IN_UNITS[key] ?? '';
  return UNIT_TEXT[unit] ?? unit;
}

/** A number as people read it: no binary noise, at most two decimals (runtime 28.333… min → 28.33). */
function formatNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

/**
 * One value of a point of this device: its state's name where the template names it (the raw value
 * in brackets only when it does not), else the number with its unit.
 */
export function formatPointValue(value: number | string | null | undefined, point: Pick<PointRef, 'measurement' | 'field'>, info: DeviceInfo, language: Language): string {
  if (value === null || value === undefined) return NO_VALUE[language];
  const states = statesOf(info, point);
  if (states) {
    const name = states[String(value)];
    if (name) return name[language];
    return language === 'zh-CN' ? `未命名状态 (${value})` : `unnamed state (${value})`;
  }
  if (typeof value === 'string') return value;
  const unit = unitOf(info, point);
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** The formatter rule kinds describe conditions with, for one device and language. */
export function describeFormat(info: DeviceInfo, language: Language): DescribeFormat {
  return { language, value: (value, point) => formatPointValue(value, point, info, language) };
}

/** The alert's current value as people read it (state name, or number and unit). */
export function formatValue(alert: Alert, directory: Directory, language: Language): string | undefined {
  if (alert.value === undefined) return undefined;
  return formatPointValue(alert.value, alert, directory.get(alert.device), language);
}

/**
 * An alert's value and condition in one language. The condition comes from its rule as configured
 * now (with units and state names); a rule gone from the config leaves the text the alert was
 * raised with.
 */
export function displayOf(alert: Alert, directory: Directory, language: Language): AlertDisplay {
  const info = directory.get(alert.device);
  const rule = directory.rule(alert.device, alert.rule);
  const byState = rule ? rule.kind.name === 'state' : alert.threshold.startsWith('= ');
  return {
    value: formatValue(alert, directory, language),
    threshold: rule ? rule.kind.describe(rule, describeFormat(info, language)) : alert.threshold,
    state: byState || statesOf(info, alert) !== undefined,
    byState,
  };
}

const MARKS: Readonly<Record<Language, { flapping: string; latched: string }>> = {
  'zh-CN': { flapping: '频繁波动中', latched: '已锁存，待确认' },
  en: { flapping: 'flapping', latched: 'latched, awaiting acknowledgement' },
};

/** What is special about an active alert now, beside its value: flapping, latched until acknowledged. */
export function marksOf(alert: Alert, language: Language): string[] {
  if (alert.status === 'resolved') return [];
  return [alert.flapping ? MARKS[language].flapping : '', alert.latchedAt !== undefined ? MARKS[language].latched : ''].filter(Boolean);
}

/** displayOf in every language, for the API's `display` and the CLI. */
export function localizedDisplay(alert: Alert, directory: Directory): LocalizedDisplay {
  return { en: displayOf(alert, directory, 'en'), 'zh-CN': displayOf(alert, directory, 'zh-CN') };
}

/** A reading's name: the field as people call it, with the tags that tell its series apart ("温度 (sensor=return_air)"). */
export function readingName(reading: Pick<ContextReading, 'field' | 'tags'>, language: Language): string {
  const name = FIELD_NAMES[reading.field]?.[language] ?? reading.field;
  const tags = Object.entries(reading.tags ?? {}).map(([k, v]) => `${k}=${v}`);
  return tags.length ? `${name} (${tags.join(', ')})` : name;
}

/** One context reading as a message shows it: "电池电量 96 %", "漏水位置 12.5 m", "错误信息「timeout」". */
export function formatReading(reading: ContextReading, info: DeviceInfo, language: Language): string {
  const name = readingName(reading, language);
  // Text from a device (an error, an alarm's description) is quoted: it is what the device said, not our words.
  if (typeof reading.value === 'string' && statesOf(info, reading) === undefined) return language === 'zh-CN' ? `${name}「${reading.value}」` : `${name} "${reading.value}"`;
  const value = typeof reading.value === 'number' && reading.unit !== undefined && statesOf(info, reading) === undefined ? withUnit(reading.value, reading.unit) : formatPointValue(reading.value, reading, info, language);
  return `${name} ${value}`;
}

function withUnit(value: number, unit: string): string {
  const text = UNIT_TEXT[unit] ?? unit;
  return text ? `${formatNumber(value)} ${text}` : formatNumber(value);
}
