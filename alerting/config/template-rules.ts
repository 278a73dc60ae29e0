import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { Duration, FieldName } from '../../common/config/primitives.js';
import { parseDuration } from '../../common/config/units.js';
import type { ConfigIssue, YamlSource } from '../../common/config/yaml-source.js';
import { FAULT_CATEGORIES, type FaultCategory, type TemplateRuleCompiler, type TemplateRuleSpec } from '../../common/contracts/template-rule.js';
import { conditionKeys, inferKind, TEMPLATE_KINDS } from '../core/kinds/index.js';
import type { RuleInput } from '../core/kinds/kind.js';
import { unknownTypeMessage } from '../incidents/types.js';

/**
 * The default rules a device template ships (`rules:`), checked and compiled by the rule kinds:
 * the collector compiles a template's points and hands them here (app/config/load.ts passes this).
 */

const strict = { additionalProperties: false } as const;

/** The keys every template rule has, before its kinds' keys. */
const RULE_HEAD = {
  name: FieldName,
  field: FieldName,
  measurement: Type.Optional(FieldName),
  severity: Type.Union(['critical', 'major', 'minor', 'warning'].map((s) => Type.Literal(s)), {
    description: 'critical (紧急), major (重要), minor (次要) or warning (提示)',
  }),
};
/** The rule's own point's tags: after the conditions on that point, before the other points a rule names. */
const RULE_TAGS = {
  tags: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'tags the readings must carry, e.g. { sensor: return_air }' })),
};
/** Shared with config rules (schema.ts), which may latch a rule or unlatch a shipped one. */
export const LATCH = Type.Boolean({
  description: 'the alert stays active after its condition clears until someone acknowledges it (water leak, fire, smoke)',
});
const AdviceSteps = Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'the steps, in order, one text each' });
/** A point of the same device a message shows the latest reading of; `measurement` defaults to the rule's. */
const ContextPointInput = Type.Object(
  {
    field: FieldName,
    measurement: Type.Optional(FieldName),
    tags: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'tags the reading must carry, e.g. { phase: "1" }' })),
  },
  { ...strict, description: 'a point of this template: { field, measurement?, tags? }' },
);

/** The keys every template rule has, after its kinds' keys. */
const RULE_TAIL = {
  for: Type.Optional(Duration),
  summary: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }, strict),
  source: Type.String({ minLength: 3, description: 'where the limit comes from (standard, RFC, vendor manual)' }),
  incident: Type.Optional(FieldName),
  explained_by: Type.Optional(FieldName),
  latch: Type.Optional(LATCH),
  advice: Type.Optional(
    Type.Object({ en: AdviceSteps, 'zh-CN': AdviceSteps }, { ...strict, description: 'what the on-duty engineer does, as steps: { en: [...], zh-CN: [...] }' }),
  ),
  context: Type.Optional(Type.Array(ContextPointInput, { description: 'points of this device whose latest readings a message shows, e.g. battery charge and runtime' })),
  category: Type.Optional(
    Type.Union(FAULT_CATEGORIES.map((c) => Type.Literal(c)), { description: FAULT_CATEGORIES.join(', ').replace(/, ([^,]+)$/, ' or $1') }),
  ),
};

/**
 * A rule's fault category when it names none: what the template's devices are. A CRAC rule about
 * the room it cools (humidity, water under the floor) says `category: environment` itself.
 */
const CATEGORY_OF_TEMPLATE: Readonly<Record<string, FaultCategory>> = {
  ups: 'power',
  power_meter: 'power',
  crac: 'cooling',
  environment: 'environment',
  leak: 'environment',
};

const CONDITIONS = conditionKeys(TEMPLATE_KINDS);
/** '"above", "below" or "equals"' */
const CONDITION_WORDS = `${CONDITIONS.slice(0, -1).map((k) => `"${k}"`).join(', ')} or "${CONDITIONS.at(-1)!}"`;

/** The template kinds' keys of one sort, in registry order; a key kinds share appears once, where it first does. */
const kindKeys = (sort: 'keys' | 'points'): TProperties => TEMPLATE_KINDS.reduce<TProperties>((keys, k) => ({ ...keys, ...k.template?.[sort] }), {});

/** One entry of a template's `rules:` list. */
export const TemplateRule: TObject = Type.Object(
  { ...RULE_HEAD, ...kindKeys('keys'), ...RULE_TAGS, ...kindKeys('points'), ...RULE_TAIL },
  {
    ...strict,
    description:
      'incident: this rule opens a room-wide incident of that name (e.g. mains_failure); explained_by: alerts of this rule in the same room are folded into such an incident',
  },
);
/** A rule as validated: the common keys typed, the kinds' keys for the kinds to read (RuleInput). */
type TemplateRuleInput = Static<TObject<typeof RULE_HEAD & typeof RULE_TAGS & typeof RULE_TAIL>> & RuleInput;

/**
 * A template's default rules as the rule kinds check and compile them; `incident:` and
 * `explained_by:` must name one of `incidentTypes` (the built-in ones and those the config adds).
 */
export function templateRulesWith(incidentTypes: readonly string[]): TemplateRuleCompiler {
  return {
    schema: TemplateRule,
    compile(input, points, ctx) {
      const result = templateRules.compile(input, points, ctx);
      (input as TemplateRuleInput[]).forEach((rule, index) => {
        for (const [key, name] of [['incident', rule.incident], ['explained_by', rule.explained_by]] as const) {
          if (name !== undefined && !incidentTypes.includes(name)) result.issues.push(ctx.source.issueAt(['rules', index, key], unknownTypeMessage(key, name, incidentTypes)));
        }
      });
      return result;
    },
  };
}

/** A template's default rules as the rule kinds check and compile them (incident types not checked: see templateRulesWith). */
export const templateRules: TemplateRuleCompiler = {
  schema: TemplateRule,
  compile(input, points, { measurement, category, source, isText }) {
    const raw = input as TemplateRuleInput[];
    const issues: ConfigIssue[] = [];
    const produced = (point: { measurement?: string; field: string }) => points.some((p) => p.field === point.field && p.measurement === (point.measurement ?? measurement));
    const templateCategory = CATEGORY_OF_TEMPLATE[category];
    const rules = raw.map((rule) => compileRule(rule, measurement, templateCategory));
    raw.forEach((rule, index) => {
      issues.push(...messageKeyIssues(rule, index, points, measurement, source));
      if (!rule.category && !templateCategory) {
        issues.push(source.issueAt(['rules', index], `templates of category "${category}" have no default fault category: give "category" (${FAULT_CATEGORIES.join(', ')})`));
      }
      if (!produced(rule)) issues.push(source.issueAt(['rules', index, 'field'], `rule refers to field "${rule.field}", which no point of this template produces`));
      if (CONDITIONS.every((key) => rule[key] === undefined)) {
        issues.push(source.issueAt(['rules', index], `a rule needs ${CONDITION_WORDS}`));
      }
      for (const kind of TEMPLATE_KINDS) {
        for (const problem of kind.template?.check?.(rule, produced) ?? []) issues.push(source.issueAt(['rules', index, ...problem.path], problem.message));
      }
    });
    return { rules, issues, warnings: textRuleWarnings(raw, points, isText, measurement, source) };
  },
};

function compileRule(rule: TemplateRuleInput, defaultMeasurement: string, templateCategory: FaultCategory | undefined): TemplateRuleSpec {
  const measurement = rule.measurement ?? defaultMeasurement;
  const kind = inferKind(rule);
  return {
    name: rule.name,
    field: rule.field,
    measurement,
    severity: rule.severity as TemplateRuleSpec['severity'],
    tags: rule.tags,
    kind: kind.name,
    // The kind's other points (a difference's minus) default to the rule's measurement.
    params: kind.compile?.(rule, measurement, undefined),
    forMs: rule.for ? parseDuration(rule.for) : 0,
    summary: rule.summary,
    source: rule.source,
    incident: rule.incident,
    explainedBy: rule.explained_by,
    latch: rule.latch ?? false,
    advice: rule.advice,
    context: (rule.context ?? []).map((point) => ({ measurement: point.measurement ?? measurement, field: point.field, tags: point.tags })),
    // Only a template of a category outside CATEGORY_OF_TEMPLATE lacks both; compile reports it.
    category: rule.category ?? templateCategory ?? 'roomwatch',
  };
}

/**
 * The message keys' checks past the schema: each context point is one this template produces
 * (its tags one of those points can carry), and the advice says the same steps in both languages.
 */
function messageKeyIssues<P extends { field: string; measurement: string; tags?: Readonly<Record<string, string>> }>(
  rule: TemplateRuleInput,
  index: number,
  points: readonly P[],
  defaultMeasurement: string,
  source: YamlSource,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const measurement = rule.measurement ?? defaultMeasurement;
  (rule.context ?? []).forEach((point, i) => {
    const wanted = point.measurement ?? measurement;
    const producers = points.filter((p) => p.field === point.field && p.measurement === wanted);
    if (!producers.length) {
      issues.push(source.issueAt(['rules', index, 'context', i, 'field'], `context point "${wanted}.${point.field}" is produced by no point of this template`));
    } else if (point.tags && !producers.some((p) => tagsCanMatch(p, point.tags!))) {
      const written = Object.entries(point.tags).map(([k, v]) => `${k}=${v}`).join(', ');
      issues.push(source.issueAt(['rules', index, 'context', i, 'tags'], `no point of this template producing "${wanted}.${point.field}" carries the tags ${written}`));
    }
  });
  const seen = new Set<string>();
  (rule.context ?? []).forEach((point, i) => {
    const key = JSON.stringify([point.measurement ?? measurement, point.field, Object.entries(point.tags ?? {}).sort()]);
    if (seen.has(key)) issues.push(source.issueAt(['rules', index, 'context', i], `context point "${point.field}" is listed twice`));
    seen.add(key);
  });
  if (rule.advice && rule.advice.en.length !== rule.advice['zh-CN'].length) {
    issues.push(
      source.issueAt(['rules', index, 'advice'], `advice needs the same steps in both languages: en has ${rule.advice.en.length}, zh-CN has ${rule.advice['zh-CN'].length}`),
    );
  }
  return issues;
}

/**
 * Whether a point's readings may carry `tags`: its own tags must not say otherwise; a tag it does
 * not set may come from its table index (index_tag) when the device answers, so it is not refused.
 */
function tagsCanMatch(point: { tags?: Readonly<Record<string, string>> }, tags: Readonly<Record<string, string>>): boolean {
  return Object.entries(tags).every(([key, value]) => point.tags?.[key] === undefined || point.tags[key] === value);
}

/**
 * Threshold and state rules compare numbers; on a text point (a Modbus string, an SNMP string)
 * they hold forever, so such a rule is accepted but said to be inert.
 */
function textRuleWarnings<P extends { field: string; measurement: string }>(
  rules: ReadonlyArray<{ field: string; measurement?: string }>,
  points: readonly P[],
  isText: (point: P) => boolean,
  measurement: string,
  source: YamlSource,
): ConfigIssue[] {
  return rules.flatMap((rule, index) => {
    const producers = points.filter((p) => p.field === rule.field && p.measurement === (rule.measurement ?? measurement));
    if (!producers.length || !producers.every(isText)) return [];
    return [source.warningAt(['rules', index, 'field'], `field "${rule.field}" is text; rules compare numbers, so this rule never fires`)];
  });
}
