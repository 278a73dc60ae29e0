/** A default alarm rule shipped in a device template, compiled from its `rules:` list. */
export interface TemplateRuleSpec {
  name: string;
  field: string;
  measurement: string;
  severity: 'critical' | 'major' | 'minor' | 'warning';
  above?: number;
  below?: number;
  clearAbove?: number;
  clearBelow?: number;
  equals?: number[];
  /** Tags the rule's readings must carry (e.g. { sensor: return_air }). */
  tags?: Record<string, string>;
  /** A difference rule: this point is subtracted from the rule's own (measurement already defaulted). */
  minus?: { measurement: string; field: string; tags?: Record<string, string> };
  /** A difference rule applies only while this point reads one of `equals` (a unit that is on). */
  when?: { measurement: string; field: string; tags?: Record<string, string>; equals: number[] };
  forMs: number;
  summary: { en: string; 'zh-CN': string };
  source: string;
  incident?: string;
  explainedBy?: string;
}
