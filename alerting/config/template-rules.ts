import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { Duration, FieldName } from '../../common/config/primitives.js';
import { parseDuration } from '../../common/config/units.js';
import type { ConfigIssue, YamlSource } from '../../common/config/yaml-source.js';
import type { TemplateRuleCompiler, TemplateRuleSpec } from '../../common/contracts/template-rule.js';
import { conditionKeys, inferKind, TEMPLATE_KINDS } from '../core/kinds/index.js';
import type { RuleInput } from '../core/kinds/kind.js';

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
/** The keys every template rule has, after its kinds' keys. */
const RULE_TAIL = {
  for: Type.Optional(Duration),
  summary: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }, strict),
  source: Type.String({ minLength: 3, description: 'where the limit comes from (standard, RFC, vendor manual)' }),
  incident: Type.Optional(FieldName),
  explained_by: Type.Optional(FieldName),
  latch: Type.Optional(LATCH),
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

/** A template's default rules as the rule kinds check and compile them. */
export const templateRules: TemplateRuleCompiler = {
  schema: TemplateRule,
  compile(input, points, { measurement, source, isText }) {
    const raw = input as TemplateRuleInput[];
    const issues: ConfigIssue[] = [];
    const produced = (point: { measurement?: string; field: string }) => points.some((p) => p.field === point.field && p.measurement === (point.measurement ?? measurement));
    const rules = raw.map((rule) => compileRule(rule, measurement));
    raw.forEach((rule, index) => {
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

function compileRule(rule: TemplateRuleInput, defaultMeasurement: string): TemplateRuleSpec {
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
  };
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
