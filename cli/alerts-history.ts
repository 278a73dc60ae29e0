import { SEVERITIES, type Severity } from '../alerting/core/rule.js';
import { FAULT_CATEGORIES } from '../common/contracts/template-rule.js';
import { parseDuration } from '../common/config/units.js';
import { failed, print, printJson, type Ctx } from './alerts-context.js';
import { localTime } from './alerts-text.js';

export const HISTORY_OPTIONS = {
  site: { type: 'string' },
  room: { type: 'string' },
  device: { type: 'string' },
  category: { type: 'string' },
  severity: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
} as const;

type HistoryValues = Partial<Record<keyof typeof HISTORY_OPTIONS, string>>;

/**
 * One alert_events row as GET /api/history answers it (README "Alert history"): the tags and
 * fields by their stored names. Only `time` and `event` are relied on; the rest is shown when there.
 */
export interface HistoryRow {
  time: number | string;
  event: string;
  alert_id?: string;
  site?: string;
  room?: string;
  device?: string;
  site_name?: string;
  room_name?: string;
  device_name?: string;
  rule?: string;
  severity?: string;
  category?: string;
  fault?: string;
  incident?: string;
  value?: number | string;
  duration_s?: number;
  ack_after_s?: number;
  ack_by?: string;
  reason?: string;
  members?: number;
}

/**
 * A moment given on the command line: "24h" or "7d" (that long ago), a date (its local midnight),
 * or a date and time (local unless it says its offset). ISO 8601 in UTC for the API.
 */
export function parseWhen(text: string, now = Date.now()): string | undefined {
  if (/^[0-9]+(?:\.[0-9]+)?(ms|s|m|h|d)$/.test(text)) return new Date(now - parseDuration(text)).toISOString();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  // Date.parse reads a bare date as UTC midnight; an engineer means the local day.
  if (day) return new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The query for GET /api/history, or the usage problem with the options. */
export function historyQuery(values: HistoryValues, now = Date.now()): Record<string, string | undefined> | string {
  if (values.severity !== undefined && !SEVERITIES.includes(values.severity as Severity)) return `--severity "${values.severity}": expected one of ${SEVERITIES.join(', ')}`;
  if (values.category !== undefined && !(FAULT_CATEGORIES as readonly string[]).includes(values.category)) return `--category "${values.category}": expected one of ${FAULT_CATEGORIES.join(', ')}`;
  if (values.limit !== undefined && !/^[1-9][0-9]{0,5}$/.test(values.limit)) return `--limit "${values.limit}": expected a whole number from 1`;
  const when: Record<string, string | undefined> = {};
  for (const key of ['from', 'to'] as const) {
    const given = values[key];
    if (given === undefined) continue;
    when[key] = parseWhen(given, now);
    if (when[key] === undefined) return `--${key} "${given}": expected a date (2026-12-01), a date and time (2026-12-01T08:00, local unless it has an offset) or how long ago (24h, 7d)`;
  }
  if (when.from && when.to && when.from >= when.to) return `--from must be before --to`;
  const { site, room, device, category, severity, limit } = values;
  return { site, room, device, category, severity, ...when, limit };
}

/** `roomwatch alerts history`: GET /api/history, newest first, one event per line. */
export async function history(ctx: Ctx, values: HistoryValues, usageError: (problem: string) => number): Promise<number> {
  const query = historyQuery(values);
  if (typeof query === 'string') return usageError(query);
  const answer = await ctx.api.get<HistoryRow[] | { rows: HistoryRow[] }>('/api/history', query);
  if (answer.status !== 200) return failed(ctx, answer);
  const rows = Array.isArray(answer.body) ? answer.body : answer.body.rows;
  if (ctx.json) return printJson(rows);
  print(rows.length ? rows.map((r) => historyLine(ctx, r)) : [ctx.text.say('该范围内没有告警事件', 'no alert events in that range')]);
  return 0;
}

const EVENTS: Record<string, [string, string]> = {
  opened: ['发生', 'opened'],
  acknowledged: ['确认', 'acknowledged'],
  flapping: ['频繁波动', 'flapping'],
  resolved: ['恢复', 'resolved'],
};
const REASONS: Record<string, [string, string]> = {
  cleared: ['条件消失', 'condition cleared'],
  acknowledged: ['已确认（锁存告警）', 'acknowledged (latched alert)'],
  removed: ['已从配置中移除', 'removed from configuration'],
  trap: ['设备 trap', 'device trap'],
};

/** InfluxDB answers epoch milliseconds, nanoseconds or RFC 3339, depending on how it was asked. */
function msOf(time: number | string): number {
  if (typeof time === 'string') return Date.parse(time);
  return time > 1e15 ? Math.round(time / 1e6) : time;
}

export function historyLine(ctx: Ctx, r: HistoryRow): string {
  const { text } = ctx;
  const say = (pair: [string, string]) => text.say(...pair);
  const event = EVENTS[r.event] ? say(EVENTS[r.event]!) : r.event;
  const place = [r.site_name ?? r.site, r.room_name ?? r.room, r.device_name ?? r.device].filter(Boolean).join(' / ');
  const parts = [localTime(msOf(r.time)), event];
  if (r.severity) parts.push(SEVERITIES.includes(r.severity as Severity) ? text.severity(r.severity as Severity) : r.severity);
  parts.push(place, r.fault === 'incident' ? `${text.say('事件', 'incident')} ${r.rule ?? ''}`.trim() : (r.rule ?? ''));
  if (r.alert_id) parts.push(r.alert_id);
  const details: string[] = [];
  if (r.value !== undefined) details.push(`${text.say('值', 'value')} ${String(r.value)}`);
  if (r.ack_by) details.push(text.say(`确认人 ${r.ack_by}${r.ack_after_s !== undefined ? `（${r.ack_after_s} 秒后）` : ''}`, `by ${r.ack_by}${r.ack_after_s !== undefined ? ` after ${r.ack_after_s} s` : ''}`));
  if (r.reason) details.push(REASONS[r.reason] ? say(REASONS[r.reason]!) : r.reason);
  if (r.duration_s !== undefined) details.push(text.say(`持续 ${r.duration_s} 秒`, `lasted ${r.duration_s} s`));
  if (r.incident && r.fault !== 'incident') details.push(`${text.say('事件', 'incident')} ${r.incident}`);
  return [...parts.filter(Boolean), ...details.map((d) => `[${d}]`)].join('  ');
}
