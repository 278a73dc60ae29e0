import { comms } from './comms.js';
import { difference } from './difference.js';
import type { RuleKind } from './kind.js';
import { rate } from './rate.js';
import { stale } from './stale.js';
import { state } from './state.js';
import { threshold } from './threshold.js';

/** Every rule kind roomwatch knows, one line each. A new kind is one file plus one line here. */
export const RULE_KINDS: readonly RuleKind[] = [threshold, state, rate, comms, stale, difference];

const BY_NAME = new Map(RULE_KINDS.map((k) => [k.name, k]));

/** The kind of that name; the rulebook resolves it once per rule, so evaluation never looks it up. */
export function kindOf(name: string): RuleKind {
  const kind = BY_NAME.get(name);
  if (!kind) throw new Error(`unknown rule kind "${name}" (known: ${RULE_KINDS.map((k) => k.name).join(', ')})`);
  return kind;
}
