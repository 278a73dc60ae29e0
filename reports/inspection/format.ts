import type { Lang } from './texts.js';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const UNITS: Readonly<Record<string, string>> = { degC: '°C', '%RH': '%RH', '%': '%', min: 'min', W: 'W', kWh: 'kWh', V: 'V', A: 'A', Hz: 'Hz' };
export const unitText = (unit?: string): string => (unit ? (UNITS[unit] ?? unit) : '');

/** A reading as people read it: one decimal below 100, none above; watts as kW. */
export function value(v: number | undefined, unit?: string): string {
  if (v === undefined) return '—';
  if (unit === 'W') return `${(v / 1000).toFixed(v >= 100_000 ? 0 : 1)} kW`;
  const digits = Math.abs(v) >= 100 ? 0 : 1;
  const u = unitText(unit);
  return `${v.toFixed(digits)}${u ? (u.startsWith('%') || u === '°C' ? u : ` ${u}`) : ''}`;
}

/** HH:MM in the report's zone. */
export function clock(t: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(t));
}

/** YYYY-MM-DD HH:MM in the report's zone. */
export function stamp(t: number, timeZone: string): string {
  const d = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(t));
  return d.replace(',', '');
}

export function duration(seconds: number, lang: Lang): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (lang === 'zh-CN') return h ? `${h}小时${m}分` : m ? `${m}分${rest ? `${rest}秒` : ''}` : `${rest}秒`;
  return h ? `${h} h ${m} min` : m ? `${m} min${rest ? ` ${rest} s` : ''}` : `${rest} s`;
}
