import { SEVERITY_ZH, type Severity } from '../core/rule.js';
import type { AlertEvent } from '../alerts.js';
import type { Directory } from './directory.js';

export type Language = 'zh-CN' | 'en';

export interface RenderContext {
  language: Language;
  directory: Directory;
  /** Where to acknowledge (console URL), if configured. */
  consoleUrl?: string;
  timeZone?: string;
  /** The engine keeps steady times (see AlertClock); dates shown to people are wall-clock dates. */
  toWall?: (steady: number) => number;
}

export const WORDS = {
  'zh-CN': {
    opened: '告警', resolved: '恢复', flapping: '频繁波动', acknowledged: '已确认',
    where: '位置', value: '当前值', threshold: '阈值', since: '开始时间', duration: '持续', severity: '级别', rule: '规则', id: '告警编号',
    ack: '确认方法', ackCli: '确认命令', flappingNote: '该告警在短时间内反复变化，后续变化不再逐条通知。', source: '依据',
    more: (n: number) => `另有 ${n} 条`, summary: (n: number, room: string) => `${room} ${n} 条告警变化`,
  },
  en: {
    opened: 'ALERT', resolved: 'RESOLVED', flapping: 'FLAPPING', acknowledged: 'ACKNOWLEDGED',
    where: 'Where', value: 'Value', threshold: 'Threshold', since: 'Since', duration: 'Lasted', severity: 'Severity', rule: 'Rule', id: 'Alert id',
    ack: 'Acknowledge', ackCli: 'Acknowledge with', flappingNote: 'This alert keeps changing state; further changes are not notified one by one.', source: 'Source',
    more: (n: number) => `${n} more`, summary: (n: number, room: string) => `${n} alert changes in ${room}`,
  },
} as const;

export function severityLabel(severity: Severity, language: Language): string {
  return language === 'zh-CN' ? SEVERITY_ZH[severity] : severity.toUpperCase();
}

/** One event as the lines an on-duty engineer needs: what, where, value vs threshold, since, how to ack. */
export interface EventText {
  title: string;
  lines: Array<[string, string]>;
  note?: string;
}

export function describeEvent(event: AlertEvent, context: RenderContext): EventText {
  const w = WORDS[context.language];
  const a = event.alert;
  const info = context.directory.get(a.device);
  const unit = info.units[`${a.measurement}.${a.field}`] ?? '';
  const labels = Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  const when = (t: number) => formatTime(context.toWall?.(t) ?? t, context);
  const lines: Array<[string, string]> = [
    [w.severity, severityLabel(a.severity, context.language)],
    [w.where, `${info.siteName} / ${info.roomName} / ${info.name}${labels ? ` (${labels})` : ''}`],
  ];
  if (a.value !== undefined) lines.push([w.value, `${a.value}${unit && unit !== 'enum' && unit !== 'bool' ? ` ${unit}` : ''}`]);
  lines.push([w.threshold, a.threshold], [w.since, when(a.firingSince)]);
  if (event.kind === 'resolved' && a.resolvedAt) lines.push([w.duration, formatDuration(a.resolvedAt - a.firingSince, context.language)]);
  lines.push([w.rule, `${a.rule} — ${w.source}: ${a.source}`], [w.id, a.id]);
  if (event.kind === 'opened' || event.kind === 'flapping') {
    lines.push([w.ackCli, `roomwatch alerts ack ${a.id} --by <name>`]);
    if (context.consoleUrl) lines.push([w.ack, `${context.consoleUrl.replace(/\/$/, '')}/alerts/${a.id}`]);
  }
  const kind = w[event.kind];
  return {
    title: `[${kind}][${severityLabel(a.severity, context.language)}] ${info.name} ${a.summary[context.language]}`,
    lines,
    note: event.kind === 'flapping' ? w.flappingNote : undefined,
  };
}

/** Markdown for chat robots (WeCom, DingTalk): one heading per event, its lines quoted. */
export function renderMarkdown(events: readonly AlertEvent[], context: RenderContext): { title: string; markdown: string } {
  const texts = events.map((e) => describeEvent(e, context));
  const markdown = texts.map((t) => [`### ${t.title}`, ...t.lines.map(([k, v]) => `> ${k}: ${v}`), ...(t.note ? [`> ${t.note}`] : [])].join('\n')).join('\n\n');
  return { title: texts[0]!.title, markdown };
}

export function formatTime(time: number, context: Pick<RenderContext, 'language' | 'timeZone'>): string {
  const text = new Intl.DateTimeFormat(context.language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone: context.timeZone ?? 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(new Date(time));
  return `${text} (${context.timeZone ?? 'Asia/Shanghai'})`;
}

function formatDuration(ms: number, language: Language): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return language === 'zh-CN' ? `${Math.round(ms / 1000)} 秒` : `${Math.round(ms / 1000)} s`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (language === 'zh-CN') return h ? `${h} 小时 ${m} 分钟` : `${m} 分钟`;
  return h ? `${h} h ${m} min` : `${m} min`;
}
