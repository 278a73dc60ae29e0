import type { DeviceSpec } from '../common/contracts/device.js';
import { seriesKey, type EvalState, type RuleBook, type Transition } from './core/evaluate.js';
import type { AlertRule } from './core/rule.js';

/** A template's trap mapping: the rule a trap raises or clears. */
export interface TrapMapping {
  /** The trap's name in the template (upsTrapOnBattery), told to people as why an alert resolved. */
  name?: string;
  raises?: string;
  clears?: string;
}

/** The rule the device's template maps this trap OID to, if it maps it to one the device has. */
export function mappedRule(device: DeviceSpec | undefined, rules: Pick<RuleBook, 'allFor'>, oid: string): { rule: AlertRule; mapping: TrapMapping } | undefined {
  const mapping = device?.template.traps.find((t) => t.oid === oid);
  const name = mapping?.raises ?? mapping?.clears;
  const rule = name ? rules.allFor(device!.id).find((r) => r.name === name) : undefined;
  return mapping && rule ? { rule, mapping } : undefined;
}

/**
 * A trap mapped to one of the device's rules raises or clears that rule's alert at once, with
 * the same identity as the polled alert (so the next poll confirms or resolves it). Updates the
 * core's series state as a poll would; nothing when the alert is already as the trap says.
 */
export function trapTransitions(state: EvalState, rule: AlertRule, device: string, mapping: TrapMapping, now: number): Transition[] {
  const key = seriesKey(rule.name, device, {});
  const series = state.series.get(key);
  const firing = series?.phase === 'firing' || series?.phase === 'clearing';
  if (mapping.raises && !firing) {
    state.series.set(key, { key, rule: rule.name, device, labels: {}, phase: 'firing', since: now, firingSince: now, lastSeen: now, changes: [now], flapping: false });
    return [{ kind: 'firing', key, rule, device, labels: {}, at: now, firingSince: now }];
  }
  if (mapping.clears && firing) {
    state.series.set(key, { ...series, phase: 'ok', since: now });
    return [{ kind: 'resolved', key, rule, device, labels: {}, at: now, firingSince: series.firingSince, value: series.value, clearedByTrap: mapping.name ?? 'trap' }];
  }
  return [];
}
