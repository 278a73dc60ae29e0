import type { TSchema } from '@sinclair/typebox';
import type { ConfigIssue, YamlSource } from '../config/yaml-source.js';

/**
 * What a fault is about, for counting faults by kind and for the receivers that care: power
 * (mains, UPS, distribution), cooling (the precision AC itself), environment (room temperature,
 * humidity, water), communication (a device not answering) or roomwatch (the monitoring itself).
 */
export type FaultCategory = 'power' | 'cooling' | 'environment' | 'communication' | 'roomwatch';
export const FAULT_CATEGORIES: readonly FaultCategory[] = ['power', 'cooling', 'environment', 'communication', 'roomwatch'];

/** What the on-duty engineer does about an alert: numbered steps, the same steps in each language. */
export interface RuleAdvice {
  en: readonly string[];
  'zh-CN': readonly string[];
}

/** A point of the same device whose latest reading a message about the rule shows (battery charge, leak position). */
export interface ContextPoint {
  measurement: string;
  field: string;
  /** Tags the reading must carry; without them every series of the field is shown. */
  tags?: Readonly<Record<string, string>>;
}

/** A default alarm rule shipped in a device template, compiled from its `rules:` list. */
export interface TemplateRuleSpec {
  name: string;
  field: string;
  measurement: string;
  severity: 'critical' | 'major' | 'minor' | 'warning';
  /** Tags the rule's readings must carry (e.g. { sensor: return_air }). */
  tags?: Record<string, string>;
  /** The rule kind's name (threshold, state, difference, …) and its params as that kind compiled them. */
  kind: string;
  params: unknown;
  forMs: number;
  summary: { en: string; 'zh-CN': string };
  source: string;
  incident?: string;
  explainedBy?: string;
  /** Its alert stays active after the condition clears, until someone acknowledges it. */
  latch: boolean;
  /** What to do, when the template says (every shipped rule does). */
  advice?: RuleAdvice;
  /** Readings a message shows beside the rule's own value, in the template's order; empty: none. */
  context: readonly ContextPoint[];
  /** The rule's `category`, else the default for its template's category (ups → power, crac → cooling, ...). */
  category: FaultCategory;
}

/** What the rule compiler may ask of a template's points. */
export interface TemplateRuleContext<P> {
  /** The template's default measurement, for rules that name none. */
  measurement: string;
  /** The template's category (ups, crac, ...): the default fault category of its rules comes from it. */
  category: string;
  source: YamlSource;
  /** A text point: rules compare numbers, so a rule on it never fires. The collector knows which. */
  isText: (point: P) => boolean;
}

/**
 * How a template's `rules:` list is checked and compiled. The collector compiles the points and
 * hands them over; what makes a rule valid is alerting's business, so the rule schema and checks
 * come from whoever passes this (alerting/config/template-rules.ts). Messages go into
 * `issues` (errors) and `warnings`, each at its `['rules', i, …]` path.
 */
export interface TemplateRuleCompiler {
  /** Schema of one `rules` entry: the template schema validates every entry against it. */
  readonly schema: TSchema;
  /** `rules` passed the schema; `points` are the template's compiled points. */
  compile<P extends { field: string; measurement: string; tags?: Readonly<Record<string, string>> }>(
    rules: readonly unknown[],
    points: readonly P[],
    ctx: TemplateRuleContext<P>,
  ): { rules: TemplateRuleSpec[]; issues: ConfigIssue[]; warnings: ConfigIssue[] };
}
