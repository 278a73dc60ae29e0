import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';
import { CONFIG_KINDS, conditionKeys } from '../core/kinds/index.js';
import type { RuleConfigInput } from './schema.js';

/** The keys a new rule needs one of, from the kinds (RuleKind.conditions). */
const CONDITIONS = conditionKeys(CONFIG_KINDS);
/** "above, below, equals, rise or fall" */
const CONDITION_WORDS = `${CONDITIONS.slice(0, -1).join(', ')} or ${CONDITIONS.at(-1)!}`;

/**
 * Rules in config either override a shipped rule of the same name (any subset of keys) or add a
 * new one, which then needs everything a rule needs. The schema cannot tell the two apart, so the
 * checks for new rules happen here, once the shipped names are known.
 */
export function newRuleIssues(rules: readonly RuleConfigInput[], shipped: ReadonlySet<string>, source: YamlSource, path: readonly PathSegment[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  rules.forEach((rule, i) => {
    if (shipped.has(rule.name) || rule.disabled) return;
    const at: PathSegment[] = [...path, i];
    const missing = (['measurement', 'field', 'severity', 'summary', 'source'] as const).filter((k) => rule[k] === undefined);
    if (missing.length) issues.push(source.issueAt(at, `"${rule.name}" is not a template rule, so it is a new rule and needs: ${missing.join(', ')}`));
    if (CONDITIONS.every((key) => rule[key] === undefined)) {
      issues.push(source.issueAt(at, `new rule "${rule.name}" needs a condition: ${CONDITION_WORDS}`));
    }
    if ((rule.rise !== undefined || rule.fall !== undefined) && rule.window === undefined) issues.push(source.issueAt(at, 'a rate rule (rise/fall) needs "window"'));
    if (rule.kind === 'difference' && !rule.minus) issues.push(source.issueAt(at, `a difference rule needs "minus": the point subtracted from "${rule.field}"`));
    else if (rule.minus && rule.kind && rule.kind !== 'difference') issues.push(source.issueAt([...at, 'minus'], `"minus" only applies to kind difference, not ${rule.kind}`));
    else if (rule.minus && (rule.equals ?? rule.rise ?? rule.fall) !== undefined) issues.push(source.issueAt(at, 'a difference rule (minus) takes "above" or "below", not "equals", "rise" or "fall"'));
    if (rule.when && !rule.minus) issues.push(source.issueAt([...at, 'when'], '"when" only applies to a difference rule (one with "minus")'));
  });
  return issues;
}
