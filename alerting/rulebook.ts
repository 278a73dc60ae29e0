import type { RuleConfigInput } from './config/schema.js';
import type { AlertingSettings } from './config/compile.js';
import { parseDuration } from '../common/config/units.js';
import { HEALTH_MEASUREMENT } from '../common/contracts/poll.js';
import type { DeviceSpec } from '../common/contracts/device.js';
import type { TemplateRuleSpec } from '../common/contracts/template-rule.js';
import type { RuleBook } from './core/evaluate.js';
import { comms } from './core/kinds/comms.js';
import { inferKind, kindOf } from './core/kinds/index.js';
import type { RuleInput, RuleKind } from './core/kinds/kind.js';
import { stale } from './core/kinds/stale.js';
import type { AlertRule, Severity } from './core/rule.js';
import { contextPointSet, type ContextPointSet } from './context.js';

/**
 * The rules each device is evaluated against: its template's defaults, the built-in
 * communication-loss and stale-data rules, then config rules for its site, room, type or itself
 * (an override keeps the template rule's name, so alert identities survive a threshold change).
 */
export class DeviceRuleBook implements RuleBook {
  readonly #byDevice = new Map<string, AlertRule[]>();
  readonly #index = new Map<string, AlertRule[]>();
  readonly #joint = new Map<string, AlertRule[]>();
  readonly #deviceTags = new Map<string, ReadonlySet<string>>();
  readonly #contextPoints = new Map<string, ContextPointSet>();

  constructor(devices: readonly DeviceSpec[], settings: AlertingSettings) {
    const sharedContextPoints = new Map<string, ContextPointSet>();
    for (const device of devices) {
      const rules = new Map<string, AlertRule>();
      for (const rule of device.template.rules) rules.set(rule.name, fromTemplate(rule));
      rules.set('device_comms_lost', builtInComms(settings.commsLostPolls, device.template.comms.severity));
      rules.set('device_data_stale', builtInStale(settings.staleAfterPolls * device.intervalMs));
      for (const override of settings.rules.filter((r) => inScope(r, device)).sort((a, b) => specificity(a) - specificity(b))) {
        if (override.disabled) {
          rules.delete(override.name);
          continue;
        }
        const merged = applyOverride(rules.get(override.name), override);
        if (merged) rules.set(override.name, merged);
      }
      const list = [...rules.values()];
      this.#byDevice.set(device.id, list);
      for (const rule of list) {
        // A rule over several points is judged once per poll, not once per reading of its first point.
        if (rule.kind.inputs(rule).length > 1) {
          this.#joint.set(device.id, [...(this.#joint.get(device.id) ?? []), rule]);
          continue;
        }
        const key = `${device.id}|${rule.measurement}|${rule.field}`;
        this.#index.set(key, [...(this.#index.get(key) ?? []), rule]);
      }
      this.#deviceTags.set(device.id, new Set(Object.keys(device.tags)));
      const named = contextPointSet(list, sharedContextPoints);
      if (named) this.#contextPoints.set(device.id, named);
    }
  }

  /** The points the device's rules name as context (the engine keeps their latest readings). */
  contextPoints(device: string): ContextPointSet | undefined {
    return this.#contextPoints.get(device);
  }

  rulesFor(device: string, measurement: string, field: string): readonly AlertRule[] {
    return this.#index.get(`${device}|${measurement}|${field}`) ?? [];
  }

  jointRulesFor(device: string): readonly AlertRule[] {
    return this.#joint.get(device) ?? NONE;
  }

  allFor(device: string): readonly AlertRule[] {
    return this.#byDevice.get(device) ?? [];
  }

  deviceTags(device: string): ReadonlySet<string> {
    return this.#deviceTags.get(device) ?? new Set();
  }

  /** Rules for something that is not a polled device (roomwatch itself). */
  addVirtual(device: string, rules: AlertRule[]): void {
    this.#byDevice.set(device, rules);
    for (const rule of rules) this.#index.set(`${device}|${rule.measurement}|${rule.field}`, [rule]);
    this.#deviceTags.set(device, new Set(['device']));
  }

  get size(): number {
    let n = 0;
    for (const rules of this.#byDevice.values()) n += rules.length;
    return n;
  }
}

const NONE: readonly AlertRule[] = [];

/** The kind's params from a rule's keys; a built-in kind (no config keys) keeps the overridden rule's. */
function compileParams(kind: RuleKind, input: RuleInput, measurement: string, base: unknown): unknown {
  return kind.compile ? kind.compile(input, measurement, base) : { ...(base as object) };
}

/** A template rule arrives compiled by its kind (alerting/config/template-rules.ts). */
function fromTemplate(rule: TemplateRuleSpec): AlertRule {
  // One object literal, not a spread of shared fields: spread-built rules came out as slower
  // objects, and evaluation reads them for every reading (bench:alerting, about 1.4 times the CPU).
  return {
    name: rule.name,
    kind: kindOf(rule.kind),
    severity: rule.severity,
    measurement: rule.measurement,
    field: rule.field,
    tags: rule.tags,
    params: rule.params,
    forMs: rule.forMs,
    clearForMs: 0,
    summary: rule.summary,
    source: rule.source,
    incident: rule.incident,
    explainedBy: rule.explainedBy,
    latch: rule.latch,
    category: rule.category,
    advice: rule.advice,
    context: rule.context,
  };
}

/** A device not answering: as grave as its template says what it is (an unreachable UPS is not minor). */
function builtInComms(polls: number, severity: Severity): AlertRule {
  return {
    name: 'device_comms_lost', kind: comms, params: { downPolls: polls }, severity, measurement: HEALTH_MEASUREMENT, field: 'comms', forMs: 0, clearForMs: 0, category: 'communication',
    summary: { en: 'Device not answering', 'zh-CN': '设备通信中断' },
    source: 'DOMAIN.md: communication loss; the monitoring system must alarm on its own faults',
    // What the driver said (timeout, refused, bad reply): the collector scrubbed it of secrets.
    context: [{ measurement: HEALTH_MEASUREMENT, field: 'error' }],
    // The device's stale data is a consequence: it folds into this, whichever comes first.
    incident: 'comms_lost',
  };
}

function builtInStale(staleMs: number): AlertRule {
  return {
    name: 'device_data_stale', kind: stale, params: { staleMs }, severity: 'warning', measurement: '*', field: '*', forMs: 0, clearForMs: 0, category: 'communication',
    summary: { en: 'No data from device', 'zh-CN': '设备数据停止更新' },
    source: 'practice: a poller that stops producing readings hides every other alarm',
    // Explained by the device not answering; a hung poll (no answer, no failure) still raises it alone.
    explainedBy: 'comms_lost',
  };
}

function inScope(rule: RuleConfigInput, device: DeviceSpec): boolean {
  const m = rule.match ?? {};
  return (!m.site || m.site === device.site) && (!m.room || m.room === device.room) && (!m.device || m.device === device.id) && (!m.device_type || m.device_type === device.template.name);
}

function specificity(rule: RuleConfigInput): number {
  const m = rule.match ?? {};
  return m.device ? 4 : m.room ? 3 : m.site ? 2 : m.device_type ? 1 : 0;
}

function applyOverride(base: AlertRule | undefined, o: RuleConfigInput): AlertRule | undefined {
  if (!base && (!o.field || !o.severity || !o.summary || !o.source)) return undefined; // checked at load time
  // An override keeps the overridden rule's kind; a new rule names its kind or is inferred (kinds' claims).
  const rule: AlertRule = base
    ? { ...base }
    : { name: o.name, kind: o.kind ? kindOf(o.kind) : inferKind(o), params: undefined, severity: o.severity as Severity, measurement: o.measurement ?? '', field: o.field!, forMs: 0, clearForMs: 0, summary: o.summary!, source: o.source! };
  if (o.severity) rule.severity = o.severity as Severity;
  if (o.measurement) rule.measurement = o.measurement;
  if (o.field) rule.field = o.field;
  if (o.tags) rule.tags = o.tags;
  // The kind reads its own keys (a key it does not read is ignored); its other points default to the rule's measurement.
  rule.params = compileParams(rule.kind, o, rule.measurement, base?.params);
  if (o.for) rule.forMs = parseDuration(o.for);
  if (o.clear_for) rule.clearForMs = parseDuration(o.clear_for);
  if (o.summary) rule.summary = o.summary;
  if (o.source) rule.source = o.source;
  if (o.latch !== undefined) rule.latch = o.latch;
  return rule;
}
