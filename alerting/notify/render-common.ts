import { SEVERITY_ZH, type Severity } from '../core/rule.js';
import type { Alert, AlertEvent } from '../alerts.js';
import { displayOf, formatReading, marksOf, type Language } from '../display.js';
import { isIncidentEvent, type IncidentEvent, type IncidentMember, type NotifyEvent } from '../incidents/incident.js';
import type { DeviceInfo, Directory } from './directory.js';

export type { Language } from '../display.js';

export interface RenderContext {
  language: Language;
  directory: Directory;
  /**
   * Base of the link in every message: alerts open at `<base>/alerts/<id>`, incidents at
   * `<base>/incidents/<id>` (the console's pages, which a person reads; the API is under /api). Default: the directory's (alerting.link_url as loaded: console_url,
   * else the API), else consoleUrl.
   */
  linkUrl?: string;
  /** The console's URL: the link base where neither linkUrl nor the directory gives one. */
  consoleUrl?: string;
  timeZone?: string;
  /** The engine keeps steady times (see AlertClock); dates shown to people are wall-clock dates. */
  toWall?: (steady: number) => number;
}

export const WORDS = {
  'zh-CN': {
    opened: '告警', resolved: '恢复', flapping: '频繁波动', acknowledged: '已确认',
    where: '位置', value: '当前值', state: '当前状态', threshold: '阈值', since: '开始时间', duration: '持续', severity: '级别', id: '告警编号',
    readings: '相关读数', advice: '处置建议', open: '查看', ackCli: '确认命令', reason: '恢复原因', person: '<姓名>',
    flappingNote: '该告警在短时间内反复变化，后续变化不再逐条通知。',
    removed: '已从配置中移除', ackLatched: '已确认（锁存告警）', trap: (name: string) => `设备 trap ${name}`, recoveredState: '已恢复',
    more: (n: number) => `另有 ${n} 条`, summary: (n: number, room: string) => `${room} ${n} 条告警变化`,
    incident_opened: '告警', incident_resolved: '恢复', incidentId: '事件编号', alerts: '相关告警', cause: '起因',
    recovered: '已恢复', joinedLater: '期间新增', stillFiring: '仍在告警', reattributed: '已归入本事件（此前已单独通知）',
    related: (n: number) => `（${n} 条相关告警）`, lasted: (d: string) => `（持续 ${d}）`, sep: '；', within: '，',
  },
  en: {
    opened: 'ALERT', resolved: 'RESOLVED', flapping: 'FLAPPING', acknowledged: 'ACKNOWLEDGED',
    where: 'Where', value: 'Value', state: 'State', threshold: 'Threshold', since: 'Since', duration: 'Lasted', severity: 'Severity', id: 'Alert id',
    readings: 'Readings', advice: 'What to do', open: 'Open', ackCli: 'Acknowledge with', reason: 'Why resolved', person: '<name>',
    flappingNote: 'This alert keeps changing state; further changes are not notified one by one.',
    removed: 'removed from configuration', ackLatched: 'acknowledged (latched alert)', trap: (name: string) => `device trap ${name}`, recoveredState: 'recovered',
    more: (n: number) => `${n} more`, summary: (n: number, room: string) => `${n} alert changes in ${room}`,
    incident_opened: 'ALERT', incident_resolved: 'RESOLVED', incidentId: 'Incident id', alerts: 'Related alerts', cause: 'Cause',
    recovered: 'Recovered', joinedLater: 'Joined later', stillFiring: 'Still firing', reattributed: 'now part of this incident (sent alone before)',
    related: (n: number) => ` (${n} related alerts)`, lasted: (d: string) => ` (lasted ${d})`, sep: '; ', within: ', ',
  },
} as const;

type Words = (typeof WORDS)[Language];

export function severityLabel(severity: Severity, language: Language): string {
  return language === 'zh-CN' ? SEVERITY_ZH[severity] : severity.toUpperCase();
}

/**
 * One line of a message: a label and its text, or a label over a list (numbered advice, the alerts
 * of an incident), which renderers indent below it.
 */
export type TextLine = [label: string, text: string | readonly string[]];

/** One event as the lines an on-duty engineer needs: what, where, value vs threshold, since, what to do, how to ack. */
export interface EventText {
  title: string;
  lines: TextLine[];
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

/** The base links start from, without a trailing slash; absent when nothing is configured. */
export function linkBase(context: RenderContext): string | undefined {
  return (context.linkUrl ?? context.directory.linkUrl ?? context.consoleUrl)?.replace(/\/+$/, '');
}

/** The console page of this alert (or incident, with `what` 'incidents'), if a link base is known. */
export function linkTo(what: 'alerts' | 'incidents', id: string, context: RenderContext): string | undefined {
  const base = linkBase(context);
  return base === undefined ? undefined : `${base}/${what}/${id}`;
}

export function describeEvent(event: NotifyEvent, context: RenderContext): EventText {
  return isIncidentEvent(event) ? describeIncident(event, context) : describeAlertEvent(event, context);
}

/** The lines as plain text (e-mail, Feishu, webhook descriptions): `  label: text`, lists indented below. */
export function plainText(text: EventText, indent = '  '): string {
  const out = [text.title];
  for (const [label, value] of text.lines) {
    if (typeof value === 'string') out.push(`${indent}${label}: ${value}`);
    else out.push(`${indent}${label}:`, ...value.map((item) => `${indent}  ${item}`));
  }
  if (text.note) out.push(`${indent}${text.note}`);
  return out.join('\n');
}

const when = (t: number, context: RenderContext) => formatTime(context.toWall?.(t) ?? t, context);

/** The labels telling an alert's series apart ("phase=1"), for its place. */
function labelText(alert: Alert): string {
  return Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join(', ');
}

/** "电池电量 96 %，剩余后备时间 28 min": the alert's context readings on one line; absent when it has none. */
function readingsOf(alert: Alert, context: RenderContext): string | undefined {
  if (!alert.context?.length) return undefined;
  const info = context.directory.get(alert.device);
  return alert.context.map((r) => formatReading(r, info, context.language)).join(WORDS[context.language].within);
}

/** Numbered steps, in the receiver's language. */
function numbered(advice: { en: readonly string[]; 'zh-CN': readonly string[] } | undefined, language: Language): string[] {
  return (advice?.[language] ?? []).map((step, i) => `${i + 1}. ${step}`);
}

/** The value as the line shows it, with what is special about the alert now (flapping, latched). */
function valueNow(alert: Alert, value: string, language: Language): string {
  const marks = marksOf(alert, language);
  if (!marks.length) return value;
  return language === 'zh-CN' ? `${value}（${marks.join('，')}）` : `${value} (${marks.join(', ')})`;
}

/** Why an alert resolved, where it is not simply "the condition cleared". */
function resolutionText(alert: Alert, w: Words): string | undefined {
  switch (alert.resolution?.reason) {
    case 'removed':
      return w.removed;
    case 'acknowledged':
      return w.ackLatched;
    case 'trap':
      return w.trap(alert.resolution.text ?? '');
    default:
      return undefined;
  }
}

function describeAlertEvent(event: AlertEvent, context: RenderContext): EventText {
  const w = WORDS[context.language];
  const a = event.alert;
  const info = context.directory.get(a.device);
  const labels = labelText(a);
  const display = displayOf(a, context.directory, context.language);
  const telling = event.kind === 'opened' || event.kind === 'flapping';
  const lines: TextLine[] = [
    [w.severity, severityLabel(a.severity, context.language)],
    [w.where, `${info.siteName} / ${info.roomName} / ${info.name}${labels ? ` (${labels})` : ''}`],
  ];
  if (display.value !== undefined) lines.push([display.state ? w.state : w.value, valueNow(a, display.value, context.language)]);
  // A state rule's condition only repeats the state's name.
  if (!display.byState) lines.push([w.threshold, display.threshold]);
  lines.push([w.since, when(a.firingSince, context)]);
  if (event.kind === 'resolved' && a.resolvedAt) lines.push([w.duration, formatDuration(a.resolvedAt - a.firingSince, context.language)]);
  const reason = event.kind === 'resolved' ? resolutionText(a, w) : undefined;
  if (reason) lines.push([w.reason, reason]);
  const readings = readingsOf(a, context);
  if (readings) lines.push([w.readings, readings]);
  const advice = numbered(a.advice, context.language);
  if (telling && advice.length) lines.push([w.advice, advice]);
  lines.push([w.id, a.id]);
  const link = linkTo('alerts', a.id, context);
  if (link) lines.push([w.open, link]);
  if (telling) lines.push([w.ackCli, `roomwatch alerts ack ${a.id} --by ${w.person}`]);
  return {
    title: `[${w[event.kind]}][${severityLabel(a.severity, context.language)}] ${info.name} ${a.summary[context.language]}`,
    lines,
    note: event.kind === 'flapping' ? w.flappingNote : undefined,
  };
}

/** "[重要] 1号精密空调 精密空调告警 (phase=1)": an alert as one entry of an incident's list. */
function alertName(alert: Alert, context: RenderContext): string {
  const labels = labelText(alert);
  return `[${severityLabel(alert.severity, context.language)}] ${context.directory.get(alert.device).name} ${alert.summary[context.language]}${labels ? ` (${labels})` : ''}`;
}

/** "当前状态: 电池供电", "当前值: 187 V", or 已恢复: where an alert of an incident stands now. */
function standing(alert: Alert, context: RenderContext): string {
  const w = WORDS[context.language];
  if (alert.status === 'resolved') return w.recoveredState;
  const display = displayOf(alert, context.directory, context.language);
  if (display.value === undefined) return `${w.threshold}: ${display.threshold}`;
  return `${display.state ? w.state : w.value}: ${valueNow(alert, display.value, context.language)}`;
}

/** The place an incident is about, as wide as its scope. */
function incidentPlace(event: IncidentEvent, context: RenderContext): string {
  const info = placeOf(event, context);
  const level = event.incident.scope.level;
  return level === 'site' ? info.siteName : level === 'room' ? `${info.siteName} / ${info.roomName}` : info.name;
}

function incidentTitle(event: IncidentEvent, context: RenderContext): string {
  const w = WORDS[context.language];
  const i = event.incident;
  const place = incidentPlace(event, context);
  const head = `[${w[event.kind]}][${severityLabel(i.severity, context.language)}]`;
  const summary = i.summary[context.language];
  // "<room> 市电中断" in Chinese; in English "Mains failure in <room>", or "<device> Device not answering" as alerts read.
  const said = context.language === 'zh-CN' ? summary : `${summary.charAt(0).toUpperCase()}${summary.slice(1)}`;
  const fault = context.language === 'zh-CN' || i.scope.level === 'device' ? `${place} ${said}` : `${said} in ${place}`;
  if (event.kind === 'incident_resolved') return `${head} ${fault}${i.resolvedAt !== undefined ? w.lasted(formatDuration(i.resolvedAt - i.openedAt, context.language)) : ''}`;
  return `${head} ${fault}${isLone(event) ? '' : w.related(event.alerts.length)}`;
}

/**
 * An incident as one message: the fault of the place as heading, what caused it, the readings and
 * advice that matter, then its alerts. Opening: every alert with where it stands, marking those
 * sent alone before. Recovery: what recovered, what joined after the opening message, what still fires.
 */
export function describeIncident(event: IncidentEvent, context: RenderContext): EventText {
  const w = WORDS[context.language];
  const language = context.language;
  const i = event.incident;
  const memberOf = new Map<string, IncidentMember>(i.members.map((m) => [m.key, m]));
  const isOpener = (a: Alert) => memberOf.get(a.key)?.role === 'opener';
  const openers = event.alerts.filter(isOpener);
  const name = (a: Alert) => context.directory.get(a.device).name;
  const lone = isLone(event);
  const lines: TextLine[] = [[w.severity, severityLabel(i.severity, language)]];
  if (i.scope.level === 'device') {
    const info = placeOf(event, context);
    lines.push([w.where, `${info.siteName} / ${info.roomName} / ${info.name}`]);
  }
  // A device's incident with nothing folded in is told like its alert: where it stands, not who caused it.
  const opener = openers[0];
  if (lone && opener && event.kind === 'incident_opened') {
    const display = displayOf(opener, context.directory, language);
    if (display.value !== undefined) lines.push([display.state ? w.state : w.value, valueNow(opener, display.value, language)]);
    if (!display.byState) lines.push([w.threshold, display.threshold]);
  }
  lines.push([w.since, when(i.openedAt, context)]);
  if (event.kind === 'incident_resolved' && i.resolvedAt !== undefined) lines.push([w.duration, formatDuration(i.resolvedAt - i.openedAt, language)]);
  if (openers.length && !lone) lines.push([w.cause, openers.map((a) => `${name(a)} ${a.summary[language]}`).join(w.sep)]);
  const sent = (a: Alert) => (memberOf.get(a.key)?.reattributed ? ` — ${w.reattributed}` : '');
  // A member's own readings say which alarm it is (a CRAC's active conditions, a UPS's alarm rows); the openers' are above.
  const detail = (a: Alert) => {
    const text = isOpener(a) ? undefined : readingsOf(a, context);
    return text ? ` — ${w.readings}: ${text}` : '';
  };
  if (event.kind === 'incident_opened') {
    const readings = openers.flatMap((a) => {
      const text = readingsOf(a, context);
      return text ? [lone ? text : `${name(a)} ${text}`] : [];
    });
    if (readings.length) lines.push([w.readings, readings.join(w.sep)]);
    const advice = numbered(i.advice ?? opener?.advice, language);
    if (advice.length) lines.push([w.advice, advice]);
    if (!lone) lines.push([`${w.alerts} (${event.alerts.length})`, event.alerts.map((a) => `${alertName(a, context)} — ${standing(a, context)}${detail(a)}${sent(a)}`)]);
  } else {
    const resolved = event.alerts.filter((a) => a.status === 'resolved');
    const listed = resolved.filter((a) => memberOf.get(a.key)?.listed || isOpener(a));
    const later = resolved.filter((a) => !listed.includes(a));
    const firing = event.alerts.filter((a) => a.status !== 'resolved');
    const lasted = (a: Alert) => (a.resolvedAt !== undefined ? ` — ${w.duration} ${formatDuration(a.resolvedAt - a.firingSince, language)}` : '');
    const why = (a: Alert) => {
      const reason = resolutionText(a, w);
      return reason ? ` — ${reason}` : '';
    };
    if (listed.length) lines.push([`${w.recovered} (${listed.length})`, listed.map((a) => `${alertName(a, context)}${lasted(a)}${why(a)}${sent(a)}`)]);
    if (later.length) lines.push([`${w.joinedLater} (${later.length})`, later.map((a) => `${alertName(a, context)}${lasted(a)}${why(a)}${sent(a)}`)]);
    if (firing.length) {
      lines.push([
        `${w.stillFiring} (${firing.length})`,
        firing.map((a) => {
          const advice = numbered(a.advice, language);
          return `${alertName(a, context)} — ${standing(a, context)}${detail(a)}${sent(a)}${advice.length ? ` — ${w.advice}: ${advice.join('  ')}` : ''}`;
        }),
      ]);
    }
  }
  lines.push([w.incidentId, i.id]);
  const link = linkTo('incidents', i.id, context);
  if (link) lines.push([w.open, link]);
  if (event.kind === 'incident_opened') lines.push([w.ackCli, `roomwatch alerts ack ${i.id} --by ${w.person}`]);
  return { title: incidentTitle(event, context), lines };
}

/** An incident of one device with nothing folded in: it reads like that device's alert. */
function isLone(event: IncidentEvent): boolean {
  return event.incident.scope.level === 'device' && event.alerts.length <= 1;
}

/** Which event heads a group: the incident, when the group holds one (it explains the rest), else the first. */
export function leadOf(events: readonly NotifyEvent[]): number {
  return Math.max(0, events.findIndex(isIncidentEvent));
}

/** The heading of a group of events: an incident's when the group holds one, else the first event's, with how many more. */
export function groupTitle(events: readonly NotifyEvent[], texts: readonly EventText[], context: RenderContext): string {
  const w = WORDS[context.language];
  const lead = leadOf(events);
  const title = texts[lead]!.title;
  if (events.length === 1) return title;
  const info = placeOf(events[lead]!, context);
  return `${title} (+${w.more(events.length - 1)}) — ${w.summary(events.length, `${info.siteName}/${info.roomName}`)}`;
}

/** Markdown for chat robots (WeCom, DingTalk): one heading per event, its lines quoted, lists as items. */
export function renderMarkdown(events: readonly NotifyEvent[], context: RenderContext): { title: string; markdown: string } {
  const texts = events.map((e) => describeEvent(e, context));
  const markdown = texts
    .map((t) =>
      [
        `### ${t.title}`,
        ...t.lines.flatMap(([k, v]) => (typeof v === 'string' ? [`> ${k}: ${v}`] : [`> ${k}:`, ...v.map((item) => `> - ${item}`)])),
        ...(t.note ? [`> ${t.note}`] : []),
      ].join('\n'),
    )
    .join('\n\n');
  return { title: texts[leadOf(events)]!.title, markdown };
}

export function formatTime(time: number, context: Pick<RenderContext, 'language' | 'timeZone'>): string {
  const text = new Intl.DateTimeFormat(context.language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone: context.timeZone ?? 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(new Date(time));
  return `${text} (${context.timeZone ?? 'Asia/Shanghai'})`;
}

export function formatDuration(ms: number, language: Language): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return language === 'zh-CN' ? `${Math.round(ms / 1000)} 秒` : `${Math.round(ms / 1000)} s`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (language === 'zh-CN') return h ? `${h} 小时 ${m} 分钟` : `${m} 分钟`;
  return h ? `${h} h ${m} min` : `${m} min`;
}
