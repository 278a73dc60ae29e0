import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { DURATION_PATTERN } from '../../common/config/units.js';
import { CONFIG_KINDS, RULE_KINDS } from '../core/kinds/index.js';
import type { RuleInput } from '../core/kinds/kind.js';
import { NOTIFIERS } from '../notify/registry.js';
import { Duration, DurationAtLeast, FieldName, Identifier } from '../../common/config/primitives.js';
import { FAULT_CATEGORIES } from '../../common/contracts/template-rule.js';
import { LATCH } from './template-rules.js';

const strict = { additionalProperties: false } as const;
/** "a, b or c", as the union descriptions read. */
const listed = (words: readonly string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`);
const Severity = Type.Union(['critical', 'major', 'minor', 'warning'].map((s) => Type.Literal(s)), {
  description: 'critical (紧急), major (重要), minor (次要) or warning (提示)',
});
const Scope = Type.Object(
  {
    site: Type.Optional(Identifier),
    room: Type.Optional(Identifier),
    device: Type.Optional(Identifier),
    device_type: Type.Optional(Identifier),
  },
  { ...strict, description: 'which devices: any of site, room, device, device_type (all given must match)' },
);

/** The keys every rule has, before its kind's keys. */
const RULE_HEAD = {
  name: Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'a snake_case rule name' }),
  match: Type.Optional(Scope),
  disabled: Type.Optional(Type.Boolean()),
  kind: Type.Optional(Type.Union(CONFIG_KINDS.map((k) => Type.Literal(k.name)), { description: listed(CONFIG_KINDS.map((k) => k.name)) })),
  measurement: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Record(Type.String(), Type.String())),
  severity: Type.Optional(Severity),
};
/** The keys every rule has, after its kind's keys. */
const RULE_TAIL = {
  for: Type.Optional(Duration),
  clear_for: Type.Optional(Duration),
  summary: Type.Optional(Type.Object({ en: Type.String(), 'zh-CN': Type.String() }, strict)),
  source: Type.Optional(Type.String()),
  latch: Type.Optional(LATCH),
};
/** Every kind's own keys in registry order (core/kinds/index.ts); a key kinds share appears once, where it first does. */
const KIND_KEYS: TProperties = RULE_KINDS.reduce<TProperties>((keys, k) => ({ ...keys, ...k.keys }), {});

/** A rule in config: overrides a template rule of the same name for the scope, or adds a new one. */
export const RuleConfig = Type.Object({ ...RULE_HEAD, ...KIND_KEYS, ...RULE_TAIL }, strict);
/** A rule as validated: the common keys typed, the kinds' keys for the kinds to read (RuleInput). */
export type RuleConfigInput = Static<TObject<typeof RULE_HEAD & typeof RULE_TAIL>> & RuleInput;

const Language = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { description: 'zh-CN or en' });

/**
 * The keys every receiver has. Each type's own keys (notify/<type>/schema.ts) are checked after
 * these, against that type's strict schema, so unknown keys are still reported, per type.
 */
export const Receiver = Type.Object(
  {
    id: Identifier,
    type: Type.Union(NOTIFIERS.map((n) => Type.Literal(n.type)), { description: listed(NOTIFIERS.map((n) => n.summary)) }),
    language: Type.Optional(Language),
    timeout: Type.Optional(DurationAtLeast('100ms', { default: '10s', meaning: 'per delivery attempt' })),
  },
  { additionalProperties: true },
);
export type ReceiverInput = Static<typeof Receiver>;

export const Route = Type.Object(
  {
    severities: Type.Optional(Type.Array(Severity, { description: 'severities this route takes (default: all)' })),
    match: Type.Optional(Scope),
    receivers: Type.Array(Identifier, { minItems: 1 }),
    escalate_after: Type.Optional(DurationAtLeast('1s', { meaning: 'unacknowledged this long goes to escalate_to' })),
    escalate_to: Type.Optional(Type.Array(Identifier, { minItems: 1 })),
  },
  strict,
);

const Matchers = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'a snake_case label name' }), Type.String(), {
  description: 'labels an alert must have, e.g. { site: county-a, rule: ups_on_battery }; keys: site, room, device, device_type, rule, severity and series tags such as phase',
});
const DateTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$', description: 'an ISO 8601 time with its offset, e.g. 2026-11-22T02:00:00+08:00' });
const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'a local time HH:MM' });

export const SilenceConfig = Type.Object(
  { matchers: Matchers, starts: Type.Optional(DateTime), ends: DateTime, author: Type.String({ minLength: 1 }), reason: Type.String({ minLength: 1 }) },
  strict,
);

export const MaintenanceWindowConfig = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    matchers: Matchers,
    weekdays: Type.Array(Type.Union(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => Type.Literal(d)), { description: 'mon, tue, wed, thu, fri, sat or sun' }), { minItems: 1 }),
    start: ClockTime,
    end: ClockTime,
    time_zone: Type.String({ default: 'Asia/Shanghai' }),
  },
  strict,
);

const DURATION_BODY = DURATION_PATTERN.slice(1, -1);
const Localized = Type.Object({ en: Type.String({ minLength: 1 }), 'zh-CN': Type.String({ minLength: 1 }) }, strict);
const AdviceSteps = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });

/** An incident type of the site's own (or one replacing a built-in type of the same name). */
export const IncidentTypeConfig = Type.Object(
  {
    name: FieldName,
    scope: Type.Union(['site', 'room', 'device'].map((s) => Type.Literal(s)), { description: 'site, room or device: the alerts of which devices one incident explains' }),
    category: Type.Union(FAULT_CATEGORIES.map((c) => Type.Literal(c)), { description: listed(FAULT_CATEGORIES) }),
    summary: Localized,
    advice: Type.Optional(Type.Object({ en: AdviceSteps, 'zh-CN': AdviceSteps }, strict)),
  },
  strict,
);

/** How alerts fold into incidents (incidents/match.ts, the fold stage). */
export const IncidentsConfig = Type.Object(
  {
    hold: Type.String({
      pattern: `^(auto|${DURATION_BODY})$`,
      default: 'auto',
      description: 'auto or a duration: how long an alert an incident would explain waits for one before it is sent alone (auto: twice the longest poll interval in its scope, at least group_wait)',
    }),
    window_before: Type.String({ pattern: DURATION_PATTERN, default: '2m', description: 'a duration: explained alerts opened up to this long before an incident opened join it' }),
    window_after: Type.String({
      pattern: `^(open|${DURATION_BODY})$`,
      default: 'open',
      description: 'open or a duration: explained alerts opened this long after an incident opened still join it (open: while it is not resolved)',
    }),
    settle: Type.String({ pattern: DURATION_PATTERN, default: '2m', description: 'a duration: after the last alert that opened an incident clears, how long its other alerts get to clear before the recovery message' }),
    types: Type.Array(IncidentTypeConfig, { default: [], description: 'incident types added to (or replacing) the built-in mains_failure and comms_lost' }),
  },
  { ...strict, default: {} },
);

export const AlertingConfig = Type.Object(
  {
    state_dir: Type.String({ default: 'data/alerts', description: 'alert state, history and outbox (relative to the config file)' }),
    language: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN', description: 'default language of notifications' }),
    time_zone: Type.String({ default: 'Asia/Shanghai', description: 'IANA time zone for times in notifications' }),
    console_url: Type.Optional(Type.String({ description: 'where engineers acknowledge alerts, shown in notifications' })),
    link_url: Type.Optional(
      Type.String({ pattern: '^https?://[^\\s/]+(/\\S*)?$', description: 'an http(s) URL: base of the link in every message (<base>/api/alerts/<id>); default console_url, else the API (http://<api.listen>)' }),
    ),
    comms_lost_polls: Type.Integer({ minimum: 1, default: 3, description: 'polls without answer before a device_comms_lost alert' }),
    stale_after_polls: Type.Integer({ minimum: 2, default: 6, description: 'intervals without any reading before a device_data_stale alert' }),
    flapping_window: DurationAtLeast('1s', { default: '30m', meaning: 'the span in which flapping_changes make a series flap' }),
    flapping_changes: Type.Integer({ minimum: 2, default: 6 }),
    // 0s is meaningful here: every alert is sent at once.
    group_wait: Type.String({ pattern: DURATION_PATTERN, default: '10s', description: 'a duration such as "0s", "10s", "1m" (how long a burst of alerts of one room is gathered into one message)' }),
    // Sending a critical alert again more than once a minute is noise, and 0s resent it on every tick.
    repeat_interval: DurationAtLeast('1m', { default: '4h', meaning: 'critical alerts still firing and unacknowledged are sent again this often' }),
    rules: Type.Array(RuleConfig, { default: [] }),
    receivers: Type.Array(Receiver, { default: [] }),
    routes: Type.Array(Route, { default: [] }),
    silences: Type.Array(SilenceConfig, { default: [] }),
    maintenance_windows: Type.Array(MaintenanceWindowConfig, { default: [] }),
    incidents: IncidentsConfig,
  },
  { ...strict, default: {} },
);
export type AlertingConfigInput = Static<typeof AlertingConfig>;
