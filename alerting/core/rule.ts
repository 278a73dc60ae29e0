/** Alert severities, with the names Chinese power-and-environment monitoring uses. */
export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_ZH: Record<Severity, string> = { critical: '紧急', major: '重要', minor: '次要', warning: '提示' };

export type RuleKind = 'threshold' | 'state' | 'rate' | 'comms' | 'stale';

/** One rule as evaluated for one device (template defaults with site/room/device overrides applied). */
export interface AlertRule {
  /** Stable name: part of every alert's identity. */
  name: string;
  kind: RuleKind;
  severity: Severity;
  measurement: string;
  field: string;
  /** Tags a reading must carry (e.g. { sensor: 'supply_air' }). */
  tags?: Readonly<Record<string, string>>;
  above?: number;
  below?: number;
  clearAbove?: number;
  clearBelow?: number;
  equals?: readonly number[];
  /** Rate rules: rise (or fall) of at least this much within windowMs. */
  rise?: number;
  fall?: number;
  windowMs?: number;
  /** Comms rules: polls in a row without an answer. */
  downPolls?: number;
  /** Stale rules: no reading of the field for this long. */
  staleMs?: number;
  /** Condition must hold this long before firing / be gone this long before resolving. */
  forMs: number;
  clearForMs: number;
  summary: { en: string; 'zh-CN': string };
  source: string;
  /** This rule opens a room-wide incident of this name (a UPS on battery: mains_failure). */
  incident?: string;
  /** Alerts of this rule are folded into an open incident of this name in the same room. */
  explainedBy?: string;
}

/** The threshold the alert is about, for messages ("value 33.1 vs threshold > 32"). */
export function describeThreshold(rule: AlertRule): string {
  switch (rule.kind) {
    case 'threshold':
      return [rule.above !== undefined ? `> ${rule.above}` : '', rule.below !== undefined ? `< ${rule.below}` : ''].filter(Boolean).join(' or ');
    case 'state':
      return `= ${rule.equals!.join(' / ')}`;
    case 'rate':
      return rule.rise !== undefined ? `rise ≥ ${rule.rise} in ${rule.windowMs! / 60_000} min` : `fall ≥ ${rule.fall} in ${rule.windowMs! / 60_000} min`;
    case 'comms':
      return `${rule.downPolls} polls without answer`;
    case 'stale':
      return `no data for ${Math.round(rule.staleMs! / 1000)} s`;
  }
}
