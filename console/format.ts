import { currentLanguage, t } from './i18n.js';
import type { Alert, Severity } from './types.js';

/** Dates in the browser's own time zone (Intl), as the on-duty engineer's clock shows them. */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(currentLanguage(), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(ms);
}

/** "3 分钟", "2 h 5 min": how long something has lasted. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const zh = currentLanguage() === 'zh-CN';
  if (seconds < 60) return zh ? `${seconds} 秒` : `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return zh ? `${minutes} 分钟` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return zh ? `${hours} 小时 ${minutes % 60} 分钟` : `${hours} h ${minutes % 60} min`;
  return zh ? `${Math.floor(hours / 24)} 天 ${hours % 24} 小时` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function severityName(severity: Severity): string {
  return t(`severity.${severity}`);
}

/** The alert's value as the daemon says it (state names, units), else the raw value. */
export function valueText(alert: Alert): string {
  const display = alert.display?.[currentLanguage()];
  if (display?.value !== undefined) return display.value;
  return alert.value === undefined ? '' : String(alert.value);
}

export function thresholdText(alert: Alert): string | undefined {
  const display = alert.display?.[currentLanguage()];
  if (display?.byState) return undefined;
  return display?.threshold ?? alert.threshold;
}

export function formatNumber(value: number | string | null, unit?: string): string {
  if (value === null) return '—';
  const text = typeof value === 'number' ? String(Math.round(value * 100) / 100) : value;
  return unit ? `${text} ${unit}` : text;
}
