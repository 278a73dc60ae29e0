import { SEVERITY_ZH, type Severity } from '../core/rule.js';
import type { AlertEvent } from '../alerts.js';
import { isIncidentEvent, type IncidentEvent, type NotifyEvent } from '../incidents/incident.js';
import type { DeviceInfo, Directory } from './directory.js';

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
    incident_opened: '告警', incident_resolved: '恢复', incidentId: '事件编号', related: (n: number) => `${n} 条相关告警`, alerts: '相关告警',
  },
  en: {
    opened: 'ALERT', resolved: 'RESOLVED', flapping: 'FLAPPING', acknowledged: 'ACKNOWLEDGED',
    where: 'Where', value: 'Value', threshold: 'Threshold', since: 'Since', duration: 'Lasted', severity: 'Severity', rule: 'Rule', id: 'Alert id',
    ack: 'Acknowledge', ackCli: 'Acknowledge with', flappingNote: 'This alert keeps changing state; further changes are not notified one by one.', source: 'Source',
    more: (n: number) => `${n} more`, summary: (n: number, room: string) => `${n} alert changes in ${room}`,
    incident_opened: 'ALERT', incident_resolved: 'RESOLVED', incidentId: 'Incident id', related: (n: number) => `${n} related alerts`, alerts: 'Related alerts',
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

/** Where a notification's event happened: the alert's device, or the incident's first alert's. */
export function placeOf(event: NotifyEvent, context: Pick<RenderContext, 'directory'>): DeviceInfo {
  return context.directory.get(isIncidentEvent(event) ? (event.alerts[0]?.device ?? event.incident.scope.device ?? '-') : event.alert.device);
}

/** The severity a notification's event is told at. */
export function severityOf(event: NotifyEvent): Severity {
  return isIncidentEvent(event) ? event.incident.severity : event.alert.severity;
}

/** Whether the event tells of something ending (a recovery). */
export function isRecovery(event: NotifyEvent): boolean {
  return event.kind === 'resolved' || event.kind === 'incident_resolved';
}

export function describeEvent(event: NotifyEvent, context: RenderContext): EventText {
  return isIncidentEvent(event) ? describeIncident(event, context) : describeAlertEvent(event, context);
}

/** An incident as one heading (the fault, of the place) and its alerts, one line each. */
export function describeIncident(event: IncidentEvent, context: RenderContext): EventText {
  const w = WORDS[context.language];
  const i = event.incident;
  const info = placeOf(event, context);
  const when = (t: number) => formatTime(context.toWall?.(t) ?? t, context);
  const place = i.scope.level === 'site' ? info.siteName : i.scope.level === 'room' ? `${info.siteName} / ${info.roomName}` : `${info.siteName} / ${info.roomName} / ${info.name}`;
  const lines: Array<[string, string]> = [
    [w.severity, severityLabel(i.severity, context.language)],
    [w.since, when(i.openedAt)],
  ];
  if (event.kind === 'incident_resolved' && i.resolvedAt) lines.push([w.duration, formatDuration(i.resolvedAt - i.openedAt, context.language)]);
  for (const a of event.alerts) lines.push([w.alerts, `[${severityLabel(a.severity, context.language)}] ${context.directory.get(a.device).name} ${a.summary[context.language]}`]);
  lines.push([w.incidentId, i.id]);
  return { title: `[${w[event.kind]}][${severityLabel(i.severity, context.language)}] ${place} ${i.summary[context.language]} (${w.related(event.alerts.length)})`, lines };
}

function describeAlertEvent(event: AlertEvent, context: RenderContext): EventText {
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
export function renderMarkdown(events: readonly NotifyEvent[], context: RenderContext): { title: string; markdown: string } {
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
