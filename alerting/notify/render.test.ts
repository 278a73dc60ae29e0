import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { T0, testRoom } from '../../test/helpers/render-room.js';
import type { Alert, AlertEvent, ContextReading, Resolution } from '../alerts.js';
import type { Severity } from '../core/rule.js';
import type { Incident, IncidentEvent, NotifyEvent } from '../incidents/incident.js';
import type { StateParams } from '../core/kinds/state.js';
import type { ThresholdParams } from '../core/kinds/threshold.js';
import { renderEmail } from './email/render.js';
import { renderFeishuCard } from './feishu/render.js';
import { describeEvent, renderMarkdown, type Language, type RenderContext } from './render-common.js';
import { renderAlertmanager } from './webhook/render.js';

/**
 * Expected messages as folders: testcases/<case>/events.json says which alerts (of the shipped
 * templates' rules, through the real config loader) and which events, zh-CN.txt and en.txt hold
 * the mail each receiver gets (subject and text; several messages apart by a line of "=").
 * RENDER_UPDATE=1 rewrites the expected files from what renders now (read the diff before committing).
 */
const CASES = join(import.meta.dirname, 'testcases');
const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];
const SECOND = 1000;

interface AlertSpec {
  device: string;
  rule: string;
  value?: number | string;
  /** Seconds after T0. */
  at?: number;
  labels?: Record<string, string>;
  context?: Array<Omit<ContextReading, 'at' | 'measurement'> & { measurement?: string }>;
  flapping?: boolean;
  /** The value it reads now, when that differs from the one it opened with (a flapping alert). */
  now?: number | string;
  latchedAt?: number;
  ack?: { by: string; at: number };
  resolved?: { at: number; value?: number | string; reason: Resolution['reason']; text?: string };
}

interface IncidentSpec extends Omit<Incident, 'members' | 'openedAt' | 'resolvedAt' | 'settlingSince' | 'notes' | 'tiers' | 'scope' | 'severity'> {
  severity: Severity;
  scope: Incident['scope'];
  openedAt: number;
  resolvedAt?: number;
  members: Array<{ alert: string; role: 'opener' | 'member'; joinedAt: number; reattributed?: boolean; listed?: boolean }>;
}

type EventSpec = { kind: AlertEvent['kind']; alert: string; at: number } | { kind: IncidentEvent['kind']; incident: string; at: number };

interface CaseSpec {
  about: string;
  alerts: Record<string, AlertSpec>;
  incidents?: Record<string, IncidentSpec>;
  /** One list of events per message. */
  messages: EventSpec[][];
}

const room = testRoom();
const at = (seconds: number) => T0 + seconds * SECOND;

function buildAlert(spec: AlertSpec): Alert {
  const context = spec.context?.map((r) => ({ ...r, measurement: r.measurement ?? room.config.devices.find((d) => d.id === spec.device)!.template.measurement, at: T0 }));
  const alert = room.alert(spec.device, spec.rule, { value: spec.value, at: at(spec.at ?? 0), labels: spec.labels, context });
  if (spec.flapping) alert.flapping = true;
  if (spec.now !== undefined) alert.value = spec.now;
  if (spec.latchedAt !== undefined) alert.latchedAt = at(spec.latchedAt);
  if (spec.ack) {
    alert.ack = { by: spec.ack.by, at: at(spec.ack.at) };
    alert.status = 'acknowledged';
  }
  if (spec.resolved) {
    alert.status = 'resolved';
    alert.resolvedAt = at(spec.resolved.at);
    alert.resolution = { reason: spec.resolved.reason, ...(spec.resolved.text ? { text: spec.resolved.text } : {}) };
    if (spec.resolved.value !== undefined) alert.value = spec.resolved.value;
    delete alert.latchedAt;
  }
  return alert;
}

function buildCase(spec: CaseSpec): NotifyEvent[][] {
  const alerts = new Map(Object.entries(spec.alerts).map(([name, a]) => [name, buildAlert(a)]));
  const get = (name: string) => alerts.get(name) ?? raise(`no alert "${name}" in the case`);
  const incidents = new Map(
    Object.entries(spec.incidents ?? {}).map(([name, i]) => {
      const incident: Incident = {
        ...i,
        openedAt: at(i.openedAt),
        resolvedAt: i.resolvedAt === undefined ? undefined : at(i.resolvedAt),
        members: i.members.map((m) => ({ key: get(m.alert).key, id: get(m.alert).id, role: m.role, joinedAt: at(m.joinedAt), reattributed: m.reattributed, listed: m.listed })),
        notes: [],
        tiers: [0],
      };
      return [name, { incident, alerts: i.members.map((m) => get(m.alert)) }] as const;
    }),
  );
  return spec.messages.map((events) =>
    events.map((e): NotifyEvent => {
      if ('incident' in e) {
        const found = incidents.get(e.incident) ?? raise(`no incident "${e.incident}" in the case`);
        return { kind: e.kind, incident: found.incident, alerts: found.alerts, at: at(e.at) };
      }
      return { kind: e.kind, alert: get(e.alert), at: at(e.at) };
    }),
  );
}

function raise(message: string): never {
  throw new Error(message);
}

const contextFor = (language: Language): RenderContext => ({ language, directory: room.directory, timeZone: 'Asia/Shanghai' });

function mailText(messages: NotifyEvent[][], language: Language): string {
  return messages.map((events) => {
    const mail = renderEmail(events, contextFor(language));
    return `Subject: ${mail.subject}\n${mail.text}`;
  }).join('=====\n');
}

const cases = readdirSync(CASES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('messages, case by case (testcases/<case>)', () => {
  it('has the cases the issue asks for', () => {
    expect(cases).toEqual(expect.arrayContaining(['comms-loss', 'flapping', 'incident-opening', 'incident-recovery', 'latched-leak', 'room-group']));
  });

  for (const name of cases) {
    const spec = JSON.parse(readFileSync(join(CASES, name, 'events.json'), 'utf8')) as CaseSpec;
    const messages = buildCase(spec);
    for (const language of LANGUAGES) {
      it(`${name} (${language}): ${spec.about}`, () => {
        const file = join(CASES, name, `${language}.txt`);
        const text = mailText(messages, language);
        if (process.env.RENDER_UPDATE === '1') writeFileSync(file, text);
        expect(existsSync(file), `${file} (RENDER_UPDATE=1 writes it)`).toBe(true);
        expect(text).toBe(readFileSync(file, 'utf8'));
      });

      it(`${name} (${language}): every notifier says the same lines`, () => {
        const context = contextFor(language);
        for (const events of messages) {
          const markdown = renderMarkdown(events, context).markdown;
          const card = JSON.stringify(renderFeishuCard(events, context));
          const hook = renderAlertmanager(events, context, 'noc', 'noc-1') as { alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }>; commonAnnotations: Record<string, string>; groupLabels: Record<string, string> };
          for (const event of events) {
            const text = describeEvent(event, context);
            expect(markdown).toContain(`### ${text.title}`);
            for (const [label, value] of text.lines) {
              const items = typeof value === 'string' ? [`${label}: ${value}`] : [`${label}:`, ...value];
              for (const item of items) {
                expect(markdown).toContain(item);
                expect(card).toContain(JSON.stringify(item).slice(1, -1));
              }
            }
            if ('incident' in event) {
              expect(hook.groupLabels.incident).toBe(event.incident.id);
              expect(hook.commonAnnotations).toMatchObject({ incident: event.incident.id, summary: text.title });
              expect(hook.alerts.filter((a) => a.labels.incident === event.incident.id)).toHaveLength(event.alerts.length);
            }
          }
          for (const alert of hook.alerts) expect(alert.annotations).not.toHaveProperty('source');
        }
      });
    }
  }
});

describe('a group holding an incident', () => {
  it('is headed by the incident, whatever came first', () => {
    const [[incident]] = buildCase(JSON.parse(readFileSync(join(CASES, 'incident-opening', 'events.json'), 'utf8')) as CaseSpec) as [[NotifyEvent]];
    const [[leak]] = buildCase(JSON.parse(readFileSync(join(CASES, 'latched-leak', 'events.json'), 'utf8')) as CaseSpec) as [[NotifyEvent]];
    expect(renderEmail([leak, incident], contextFor('zh-CN')).subject).toBe('[告警][紧急] 省公司 / 三楼主机房 市电中断（8 条相关告警） (+另有 1 条) — 省公司/三楼主机房 2 条告警变化');
    expect(renderEmail([leak, incident], contextFor('en')).subject).toMatch(/^\[ALERT\]\[CRITICAL\] Mains failure in 省公司 \/ 三楼主机房 \(8 related alerts\) \(\+1 more\)/);
    expect(renderMarkdown([leak, incident], contextFor('en')).title).toBe('[ALERT][CRITICAL] Mains failure in 省公司 / 三楼主机房 (8 related alerts)');
  });
});

describe('every shipped template rule, in both languages', () => {
  const devices = room.config.devices;

  it('covers every shipped template', () => {
    expect(new Set(devices.map((d) => d.template.name))).toEqual(new Set([...room.config.templates.values()].map((t) => t.name)));
  });

  for (const device of devices) {
    for (const rule of room.rules.allFor(device.id)) {
      it(`${device.template.name} ${rule.name}: no internal reference; a state rule names its state`, () => {
        const raised = raisedValue(rule.kind.name, rule.params);
        const alert = room.alert(device.id, rule.name, { value: raised });
        const opened: AlertEvent = { kind: 'opened', alert, at: T0 };
        const resolved: AlertEvent = { kind: 'resolved', alert: { ...alert, status: 'resolved', resolvedAt: T0 + 300 * SECOND, resolution: { reason: 'cleared' } }, at: T0 + 300 * SECOND };
        const point = device.template.points.find((p) => p.measurement === rule.measurement && p.field === rule.field);
        for (const language of LANGUAGES) {
          const mail = renderEmail([opened], contextFor(language));
          const back = renderEmail([resolved], contextFor(language));
          for (const text of [mail.subject, mail.text, mail.html, back.subject, back.text]) {
            expect(text).not.toMatch(/DOMAIN\.md|依据|Source:|undefined|NaN|\[object/);
          }
          const w = language === 'zh-CN' ? { state: '当前状态', threshold: '阈值', advice: '处置建议' } : { state: 'State', threshold: 'Threshold', advice: 'What to do' };
          if (rule.kind.name === 'state') {
            const name = point?.states?.[String(raised)]?.[language];
            expect(name, `${rule.field} names state ${raised}`).toBeTruthy();
            expect(mail.text).toContain(`  ${w.state}: ${name}\n`);
            expect(mail.text).not.toContain(`${w.threshold}:`);
          } else {
            expect(mail.text).toMatch(new RegExp(`  ${w.threshold}: \\S`));
          }
          // Every shipped template rule says what to do; the built-in ones (comms, stale) need no steps.
          if (device.template.rules.some((r) => r.name === rule.name)) expect(mail.text).toContain(`  ${w.advice}:\n    1. `);
        }
      });
    }
  }
});

/** A value past the rule's condition: a listed state, beyond a limit, silence for a comms or stale rule. */
function raisedValue(kind: string, params: unknown): number {
  switch (kind) {
    case 'state':
      return (params as StateParams).equals[0]!;
    case 'threshold':
    case 'difference': {
      const limits = params as ThresholdParams;
      return limits.above !== undefined ? limits.above + 1 : limits.below! - 1;
    }
    case 'comms':
      return 0;
    default:
      return 400;
  }
}
