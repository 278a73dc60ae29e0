import { Type, type Static } from '@sinclair/typebox';
import type { TemplateRuleCompiler, TemplateRuleSpec } from '../../common/contracts/template-rule.js';
import { Duration } from '../../common/config/primitives.js';
import { parseDuration } from '../../common/config/units.js';
import type { ConfigIssue, YamlSource } from '../../common/config/yaml-source.js';
import { FieldName } from '../../common/config/primitives.js';
import { strict } from './schema.js';

/**
 * The rule checks templates are compiled with unless the caller passes its own: the schema of a
 * template rule, its compilation to a TemplateRuleSpec and the checks against the template's points.
 * Alerting owns what a rule is, so it may replace all of this behind TemplateRuleCompiler.
 */

/** The second point of a difference rule: the rule fires on (its own point − this one). */
const RulePoint = Type.Object(
  {
    field: FieldName,
    measurement: Type.Optional(FieldName),
    tags: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { ...strict, description: 'the point subtracted from the rule\'s own: field, optional measurement and tags' },
);

/**
 * When a difference rule applies: a state point of the same device and the raw values in which the
 * comparison means something. A precision AC on standby (N+1 rotation) moves no heat, so its
 * return and supply air read alike; without this it would look like a unit that lost cooling.
 */
const RuleCondition = Type.Object(
  {
    field: FieldName,
    measurement: Type.Optional(FieldName),
    tags: Type.Optional(Type.Record(Type.String(), Type.String())),
    equals: Type.Array(Type.Number(), { minItems: 1, description: 'raw values of the point in which the rule applies, e.g. [1] for "on"' }),
  },
  { ...strict, description: 'the state in which the rule applies: field, optional measurement and tags, and equals' },
);

/** A default alarm rule shipped with a template; the alerting engine evaluates them. */
export const TemplateRule = Type.Object(
  {
    name: FieldName,
    field: FieldName,
    measurement: Type.Optional(FieldName),
    severity: Type.Union(['critical', 'major', 'minor', 'warning'].map((s) => Type.Literal(s)), {
      description: 'critical (紧急), major (重要), minor (次要) or warning (提示)',
    }),
    above: Type.Optional(Type.Number()),
    below: Type.Optional(Type.Number()),
    clear_above: Type.Optional(Type.Number()),
    clear_below: Type.Optional(Type.Number()),
    equals: Type.Optional(Type.Array(Type.Number(), { description: 'raw state values that raise the alarm' })),
    tags: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'tags the readings must carry, e.g. { sensor: return_air }' })),
    minus: Type.Optional(RulePoint),
    when: Type.Optional(RuleCondition),
    for: Type.Optional(Duration),
    summary: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }, strict),
    source: Type.String({ minLength: 3, description: 'where the limit comes from (standard, RFC, vendor manual)' }),
    incident: Type.Optional(FieldName),
    explained_by: Type.Optional(FieldName),
  },
  { ...strict, description: 'incident: this rule opens a room-wide incident of that name (e.g. mains_failure); explained_by: alerts of this rule in the same room are folded into such an incident' },
);
type TemplateRuleInput = Static<typeof TemplateRule>;

interface RulePoints {
  field: string;
  measurement: string;
}

export const builtinRuleChecks: TemplateRuleCompiler = {
  schema: TemplateRule,
  compile(input, points, { measurement, source, isText }) {
    const raw = input as TemplateRuleInput[];
    const issues: ConfigIssue[] = [];
    const rules: TemplateRuleSpec[] = raw.map((rule) => ({
      name: rule.name,
      field: rule.field,
      measurement: rule.measurement ?? measurement,
      severity: rule.severity as TemplateRuleSpec['severity'],
      above: rule.above,
      below: rule.below,
      clearAbove: rule.clear_above,
      clearBelow: rule.clear_below,
      equals: rule.equals,
      tags: rule.tags,
      minus: rule.minus && { ...rule.minus, measurement: rule.minus.measurement ?? measurement },
      when: rule.when && { ...rule.when, measurement: rule.when.measurement ?? measurement },
      forMs: rule.for ? parseDuration(rule.for) : 0,
      summary: rule.summary,
      source: rule.source,
      incident: rule.incident,
      explainedBy: rule.explained_by,
    }));
    raw.forEach((rule, index) => {
      if (!points.some((p) => p.field === rule.field && p.measurement === (rule.measurement ?? measurement))) {
        issues.push(source.issueAt(['rules', index, 'field'], `rule refers to field "${rule.field}", which no point of this template produces`));
      }
      if (rule.above === undefined && rule.below === undefined && rule.equals === undefined) {
        issues.push(source.issueAt(['rules', index], 'a rule needs "above", "below" or "equals"'));
      }
      if (rule.minus) {
        const minus = rule.minus;
        if (!points.some((p) => p.field === minus.field && p.measurement === (minus.measurement ?? measurement))) {
          issues.push(source.issueAt(['rules', index, 'minus', 'field'], `rule subtracts field "${minus.field}", which no point of this template produces`));
        }
        if (rule.equals !== undefined) issues.push(source.issueAt(['rules', index, 'equals'], 'a difference rule (minus) takes "above" or "below", not "equals"'));
      }
      if (rule.when) {
        const when = rule.when;
        if (!rule.minus) issues.push(source.issueAt(['rules', index, 'when'], '"when" only applies to a difference rule (one with "minus")'));
        if (!points.some((p) => p.field === when.field && p.measurement === (when.measurement ?? measurement))) {
          issues.push(source.issueAt(['rules', index, 'when', 'field'], `rule applies "when" field "${when.field}", which no point of this template produces`));
        }
      }
    });
    return { rules, issues, warnings: textRuleWarnings(raw, points, isText, measurement, source) };
  },
};

/**
 * Threshold and state rules compare numbers; on a text point (a Modbus string, an SNMP string)
 * they hold forever, so such a rule is accepted but said to be inert.
 */
function textRuleWarnings<P extends RulePoints>(
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
