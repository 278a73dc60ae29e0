import type { Resolution } from '../alerting/alerts.js';
import { marksOf, readingName } from '../alerting/display.js';
import { SEVERITY_ZH, type Severity } from '../alerting/core/rule.js';
import type { Incident, IncidentStatus } from '../alerting/incidents/incident.js';
import type { AlertView } from '../api/routes/alerts.js';

/** The language `roomwatch alerts` speaks: one of the two, or both side by side (zh-CN / en). */
export type CliLang = 'zh-CN' | 'en' | 'both';
export const CLI_LANGS: readonly CliLang[] = ['both', 'zh-CN', 'en'];

/** Says a thing in the chosen language; both: "中文 / English", once when the two read the same. */
type Say = (zh: string, en: string) => string;
function sayer(lang: CliLang): Say {
  if (lang === 'zh-CN') return (zh) => zh;
  if (lang === 'en') return (_zh, en) => en;
  return (zh, en) => (zh === en ? zh : `${zh} / ${en}`);
}

const ALERT_STATUS: Record<AlertView['status'], [string, string]> = { firing: ['告警中', 'firing'], acknowledged: ['已确认', 'acknowledged'], resolved: ['已恢复', 'resolved'] };
const INCIDENT_STATUS: Record<IncidentStatus, [string, string]> = {
  open: ['进行中', 'open'],
  acknowledged: ['已确认', 'acknowledged'],
  settling: ['恢复中', 'settling'],
  resolved: ['已恢复', 'resolved'],
};
/** Why an alert resolved, in the words the recovery message uses (alerting/notify/render-common.ts). */
function reasonOf(resolution: Resolution): [string, string] {
  switch (resolution.reason) {
    case 'cleared':
      return ['条件消失', 'condition cleared'];
    case 'acknowledged':
      return ['已确认（锁存告警）', 'acknowledged (latched alert)'];
    case 'removed':
      return ['已从配置中移除', 'removed from configuration'];
    case 'trap':
      return [`设备 trap ${resolution.text ?? ''}`.trim(), `device trap ${resolution.text ?? ''}`.trim()];
  }
}

const stamp = new Map<string, Intl.DateTimeFormat>();

/**
 * A time as the engineer's clock shows it: the machine's zone (TZ), with its offset so a line
 * pasted into a ticket still says when: "2026-12-02 10:58:00 +08:00".
 */
export function localTime(ms: number, timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone): string {
  let format = stamp.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' });
    stamp.set(timeZone, format);
  }
  const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  const offset = String(p.timeZoneName).replace('GMT', '') || '+00:00';
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${offset}`;
}

/**
 * Where an incident is, by the names its alerts carry (省公司 / 三楼主机房), down to its scope's
 * level; the ids when none of its alerts is held any more.
 */
function placeOf(i: Incident, alerts: ReadonlyMap<string, AlertView>): string {
  const named = i.members.map((m) => alerts.get(m.id)?.place).find((p) => p !== undefined);
  const parts = named
    ? [named.siteName, i.scope.room === undefined ? undefined : named.roomName, i.scope.device === undefined ? undefined : named.name]
    : [i.scope.site, i.scope.room, i.scope.device];
  return parts.filter((p) => p !== undefined).join(' / ');
}

/** Turns alerts and incidents as the API answers them into the lines an engineer reads. */
export class AlertsText {
  readonly #say: Say;
  readonly #lang: CliLang;

  constructor(lang: CliLang) {
    this.#lang = lang;
    this.#say = sayer(lang);
  }

  /** A phrase in the chosen language(s), for the actions that bring their own words. */
  say(zh: string, en: string): string {
    return this.#say(zh, en);
  }

  severity(s: Severity): string {
    // Written together as before (紧急/critical): it is one word to scan for.
    return this.#lang === 'both' ? `${SEVERITY_ZH[s]}/${s}` : this.#say(SEVERITY_ZH[s], s);
  }

  /** The marks that change what to do about an alert: flapping, latched, muted, how it ended. */
  marks(a: AlertView): string {
    const say = this.#say;
    // Flapping and latched in the messages' words, so the terminal and the mail say the same.
    const zhMarks = marksOf(a, 'zh-CN');
    const marks = marksOf(a, 'en').map((en, i) => say(zhMarks[i]!, en));
    if (a.muted) marks.push(say(`已静默: ${a.muted}`, `muted: ${a.muted}`));
    if (a.status === 'resolved' && a.resolution) {
      const [zh, en] = reasonOf(a.resolution);
      marks.push(say(`恢复原因: ${zh}`, `resolved: ${en}`));
    }
    return marks.map((m) => ` [${m}]`).join('');
  }

  status(a: AlertView): string {
    const [zh, en] = ALERT_STATUS[a.status];
    return a.ack ? this.#say(`${zh}（${a.ack.by}）`, `${en} by ${a.ack.by}`) : this.#say(zh, en);
  }

  /** Its value as people read it: state names and units when the daemon says them, the raw value otherwise. */
  value(a: AlertView): string {
    const say = this.#say;
    if (!a.display) return `value=${String(a.value)} (${a.threshold})`;
    const zh = a.display['zh-CN'];
    const en = a.display.en;
    // A state rule's condition only repeats the state's name ("当前状态 电池供电"), so it is left out.
    if (en.byState) return say(`当前状态 ${zh.value ?? '无数据'}`, `state ${en.value ?? 'no value'}`);
    if (en.value === undefined || zh.value === undefined) return say(`阈值 ${zh.threshold}`, `threshold ${en.threshold}`);
    const [zhLabel, enLabel] = en.state ? ['当前状态', 'state'] : ['当前值', 'value'];
    return say(`${zhLabel} ${zh.value}（阈值 ${zh.threshold}）`, `${enLabel} ${en.value} (threshold ${en.threshold})`);
  }

  /** The device by its name, with the id a silence or a config edit needs when the two differ. */
  where(a: AlertView): string {
    const labels = Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(',');
    const name = a.place?.name;
    return `${name && name !== a.device ? `${name} (${a.device})` : a.device}${labels ? `{${labels}}` : ''}`;
  }

  /** One alert on one line, as listed (under its incident, or alone). */
  alertLine(a: AlertView): string {
    const say = this.#say;
    return `${a.id}  ${this.severity(a.severity)}  ${this.status(a)}${this.marks(a)}  ${this.where(a)}  ${say(a.summary['zh-CN'], a.summary.en)}  ${this.value(a)}  ${say('开始于', 'since')} ${localTime(a.firingSince)}`;
  }

  incidentStatus(i: Incident): string {
    const [zh, en] = INCIDENT_STATUS[i.status];
    return i.ack ? this.#say(`${zh}（${i.ack.by}）`, `${en} by ${i.ack.by}`) : this.#say(zh, en);
  }

  /** The incident's heading line: what happened where, how grave, since when, how many alerts. */
  incidentLine(i: Incident, alerts: ReadonlyMap<string, AlertView>): string {
    const say = this.#say;
    const place = placeOf(i, alerts);
    const count = i.members.length;
    return `${say('事件', 'incident')} ${i.id}  ${this.severity(i.severity)}  ${this.incidentStatus(i)}  ${place} ${say(i.summary['zh-CN'], i.summary.en)}  ${say('开始于', 'since')} ${localTime(i.openedAt)}  (${say(`${count} 条告警`, `${count} alert${count === 1 ? '' : 's'}`)})`;
  }

  /**
   * The incident and its members indented under it, in member order; an opener is marked as the
   * cause, a member the daemon no longer holds is named by its id.
   */
  incidentBlock(i: Incident, alerts: ReadonlyMap<string, AlertView>): string[] {
    const say = this.#say;
    const lines = [this.incidentLine(i, alerts)];
    for (const m of i.members) {
      const a = alerts.get(m.id);
      const role = m.role === 'opener' ? `${say('起因', 'cause')}: ` : '';
      lines.push(a ? `  ${role}${this.alertLine(a)}` : `  ${role}${m.id}  (${say('已不在最近告警中', 'no longer among recent alerts')})`);
    }
    return lines;
  }

  /** What to do, numbered, in each language shown. */
  advice(advice: { en: string[]; 'zh-CN': string[] } | undefined): string[] {
    if (!advice) return [];
    const lines: string[] = [`${this.#say('处置建议', 'what to do')}:`];
    const langs: Array<'zh-CN' | 'en'> = this.#lang === 'both' ? ['zh-CN', 'en'] : [this.#lang];
    for (const lang of langs) advice[lang].forEach((step, n) => lines.push(`  ${n + 1}. ${step}`));
    return lines;
  }

  /** `roomwatch alerts show ID` for an alert: every fact an engineer acts on, one per line. */
  alertDetail(a: AlertView): string[] {
    const say = this.#say;
    const lines = [
      `${say('告警', 'alert')} ${a.id}  ${this.severity(a.severity)}  ${this.status(a)}${this.marks(a)}`,
      `  ${say(a.summary['zh-CN'], a.summary.en)}`,
      `  ${say('设备', 'device')}: ${this.where(a)}  ${say('规则', 'rule')}: ${a.rule}`,
      `  ${this.value(a)}`,
      `  ${say('开始于', 'since')} ${localTime(a.firingSince)}`,
    ];
    if (a.incidentId) lines.push(`  ${say('所属事件', 'incident')}: ${a.incidentId}  (roomwatch alerts show ${a.incidentId})`);
    if (a.latchedAt !== undefined) lines.push(`  ${say('条件已恢复于', 'condition cleared at')} ${localTime(a.latchedAt)}`);
    if (a.ack) lines.push(`  ${say('确认', 'acknowledged')}: ${a.ack.by} ${localTime(a.ack.at)}${a.ack.note ? ` — ${a.ack.note}` : ''}`);
    if (a.resolvedAt !== undefined) lines.push(`  ${say('恢复于', 'resolved at')} ${localTime(a.resolvedAt)}`);
    for (const c of a.context ?? []) {
      const value = `${c.value === null ? '-' : String(c.value)}${c.unit ? ` ${c.unit}` : ''}`;
      lines.push(`  ${say('相关读数', 'reading')}: ${say(`${readingName(c, 'zh-CN')} ${value}`, `${readingName(c, 'en')} ${value}`)}`);
    }
    lines.push(...this.advice(a.advice).map((l) => `  ${l}`));
    for (const n of a.notes) lines.push(`  ${say('备注', 'note')}: ${n.by} ${localTime(n.at)} — ${n.text}`);
    return lines;
  }

  /** `roomwatch alerts show ID` for an incident: its heading, what to do, its alerts. */
  incidentDetail(i: Incident, alerts: readonly AlertView[]): string[] {
    const say = this.#say;
    const [heading, ...members] = this.incidentBlock(i, new Map(alerts.map((a) => [a.id, a])));
    const lines = [heading!];
    if (i.ack) lines.push(`  ${say('确认', 'acknowledged')}: ${i.ack.by} ${localTime(i.ack.at)}${i.ack.note ? ` — ${i.ack.note}` : ''}`);
    if (i.settlingSince !== undefined) lines.push(`  ${say('起因已消失于', 'cause cleared at')} ${localTime(i.settlingSince)}`);
    if (i.resolvedAt !== undefined) lines.push(`  ${say('恢复于', 'resolved at')} ${localTime(i.resolvedAt)}`);
    lines.push(...this.advice(i.advice).map((l) => `  ${l}`));
    for (const n of i.notes) lines.push(`  ${say('备注', 'note')}: ${n.by} ${localTime(n.at)} — ${n.text}`);
    lines.push(`  ${say('相关告警', 'alerts')}:`, ...members.map((m) => `  ${m}`));
    return lines;
  }

  acknowledged(id: string, by: string): string {
    return this.#say(`已确认 ${id}（${by}）`, `acknowledged ${id} as ${by}`);
  }

  noneActive(): string {
    return this.#say('没有活动告警', 'no active alerts');
  }

  othersHeading(): string {
    return `${this.#say('其他告警', 'other alerts')}:`;
  }

  recentHeading(): string {
    return `${this.#say('最近恢复', 'recently resolved')}:`;
  }
}
