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
  forMs: number;
  summary: { en: string; 'zh-CN': string };
  source: string;
  incident?: string;
  explainedBy?: string;
}
