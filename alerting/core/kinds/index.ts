import { comms } from './comms.js';
import { difference } from './difference.js';
import type { RuleInput, RuleKind } from './kind.js';
import { rate } from './rate.js';
import { stale } from './stale.js';
import { state } from './state.js';
import { threshold } from './threshold.js';

/**
 * Every rule kind roomwatch knows, one line each. A new kind is one file plus one line here. The
 * order is the order of the kinds' keys in alerting.rules[] (and in "expected one of" messages)
 * and the order in which they claim a rule that names no kind.
 */
export const RULE_KINDS: readonly RuleKind[] = [threshold, state, difference, rate, comms, stale];

/** The kinds a config rule may name (`kind:`): those with keys of their own. */
export const CONFIG_KINDS: readonly RuleKind[] = RULE_KINDS.filter((k) => k.keys);

/** The kinds a device template's rules may be of, in registry order (the order of their template keys). */
export const TEMPLATE_KINDS: readonly RuleKind[] = RULE_KINDS.filter((k) => k.template);

/** The condition keys of these kinds, in registry order, each once (see RuleKind.conditions). */
export function conditionKeys(kinds: readonly RuleKind[]): readonly string[] {
  return [...new Set(kinds.flatMap((k) => k.conditions ?? []))];
}

const BY_NAME = new Map(RULE_KINDS.map((k) => [k.name, k]));

/** The kind of that name; the rulebook resolves it once per rule, so evaluation never looks it up. */
export function kindOf(name: string): RuleKind {
  const kind = BY_NAME.get(name);
  if (!kind) throw new Error(`unknown rule kind "${name}" (known: ${RULE_KINDS.map((k) => k.name).join(', ')})`);
  return kind;
}

/** The kind of a rule that names none: the first that claims it, else threshold. */
export function inferKind(input: RuleInput): RuleKind {
  return RULE_KINDS.find((k) => k.claims?.(input)) ?? threshold;
}
