import type { DescribeFormat, RuleKind } from './kinds/kind.js';
import type { ContextPoint, FaultCategory, RuleAdvice } from '../../common/contracts/template-rule.js';

/** Alert severities, with the names Chinese power-and-environment monitoring uses. */
export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_ZH: Record<Severity, string> = { critical: '紧急', major: '重要', minor: '次要', warning: '提示' };

/** One rule as evaluated for one device (template defaults with site/room/device overrides applied). */
export interface AlertRule<P = unknown> {
  /** Stable name: part of every alert's identity. */
  name: string;
  /** How the rule judges its inputs, resolved once when the rule is built (kinds/index.ts). */
  kind: RuleKind<P>;
  severity: Severity;
  /** The rule's own point (for a kind reading several, the first of them). */
  measurement: string;
  field: string;
  /** Tags a reading must carry (e.g. { sensor: 'supply_air' }). */
  tags?: Readonly<Record<string, string>>;
  /** What the kind needs beyond the point: limits, states, a window, a second point. */
  params: P;
  /** Condition must hold this long before firing / be gone this long before resolving. */
  forMs: number;
  clearForMs: number;
  summary: { en: string; 'zh-CN': string };
  source: string;
  /** This rule opens a room-wide incident of this name (a UPS on battery: mains_failure). */
  incident?: string;
  /** Alerts of this rule are folded into an open incident of this name in the same room. */
  explainedBy?: string;
  /** A cleared condition does not resolve the alert until someone acknowledges it (alerts.ts). */
  latch?: boolean;
  /** What the fault is about (power, cooling, ...), for counting and for messages. */
  category?: FaultCategory;
  /** What to do, shown in messages. */
  advice?: RuleAdvice;
  /** Points of the same device whose latest readings messages show beside the alert. */
  context?: readonly ContextPoint[];
}

/** The threshold the alert is about, for messages ("value 33.1 vs threshold > 32"); `format` adds units and state names. */
export function describeThreshold(rule: AlertRule, format?: DescribeFormat): string {
  return rule.kind.describe(rule, format);
}
