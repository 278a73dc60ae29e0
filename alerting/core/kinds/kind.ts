import type { TProperties } from '@sinclair/typebox';
import type { PathSegment } from '../../../common/config/yaml-source.js';
import type { AlertRule } from '../rule.js';

/** What one evaluation says about a series: start (or keep) firing, back off, or change nothing. */
export type Verdict = 'raise' | 'clear' | 'hold';

/** Where a series stands in its lifecycle (see evaluate.ts). */
export type Phase = 'ok' | 'pending' | 'firing' | 'clearing';

/** One point of a device a rule reads: a field of a measurement, narrowed by tags. */
export interface PointRef {
  measurement: string;
  field: string;
  /** Tags a reading must carry (e.g. { sensor: 'supply_air' }). */
  tags?: Readonly<Record<string, string>>;
}

/**
 * A rule's keys as written in alerting.rules[] (snake_case: clear_above, window), or a template
 * rule's in the same names. A kind reads the keys it declares in `keys` and nothing else.
 */
export type RuleInput = Readonly<Record<string, unknown>>;

/** A problem with one template rule, at a path inside that rule (['minus', 'field']). */
export interface RuleProblem {
  path: readonly PathSegment[];
  message: string;
}

/**
 * What a kind may take in a device template's `rules:` list. Templates name their points by
 * snake_case field names and take no time windows, so a kind declares its template keys apart
 * from its config keys (same names, compiled by the same `compile`).
 */
export interface TemplateKeys {
  /** Keys on the rule's own point (limits, states): composed before the rule's `tags`. */
  readonly keys?: TProperties;
  /** Keys naming other points of the device (a difference's `minus`): composed after the rule's `tags`. */
  readonly points?: TProperties;
  /**
   * The kind's checks of a template rule that passed the schema: the points its keys name
   * (`produced` says whether a point of the template produces one) and keys misused with them.
   * Asked of every template kind for every rule, so a key on a rule of another kind is still checked.
   */
  check?(input: RuleInput, produced: (point: { measurement?: string; field: string }) => boolean): readonly RuleProblem[];
}

/**
 * The part of a series a kind may look at and keep its own memory in (a rate rule's window, a
 * comms rule's count of silent polls). The core owns the series; a kind only reads the phase and
 * replaces `memory`, so the lifecycle (for, hysteresis, flapping) stays in one place.
 */
export interface SeriesMemory<M> {
  readonly phase: Phase;
  memory?: M;
}

/**
 * A rule kind: how rules of one kind judge their inputs. One file per kind, listed once in
 * kinds/index.ts. Kinds are pure: time comes in as `now`, and they never touch I/O.
 *
 * Methods (not function-typed properties) on purpose: a `RuleKind<ThresholdParams>` must be
 * usable where a `RuleKind<unknown>` is expected, which method parameter bivariance allows.
 */
export interface RuleKind<P = unknown, M = unknown> {
  /** The name used in config (`kind: rate`) and in messages. */
  readonly name: string;
  /**
   * The kind's own keys in alerting.rules[] (TypeBox, each optional), composed into the rule
   * schema in registry order; a key two kinds share is declared alike by both. Built-in kinds
   * (comms, stale) have none and cannot be named in config.
   */
  readonly keys?: TProperties;
  /**
   * Whether a rule that names no `kind` is of this one. Kinds are asked in registry order;
   * a rule no kind claims is a threshold.
   */
  claims?(input: RuleInput): boolean;
  /**
   * The keys one of which makes a rule of this kind complete (a threshold's above or below): a
   * new rule (or a template rule) giving none of any kind's is refused. Listed in messages in
   * registry order, a key kinds share once.
   */
  readonly conditions?: readonly string[];
  /** What templates may use of this kind (none: templates cannot write rules of it). */
  readonly template?: TemplateKeys;
  /**
   * The kind's params from a rule's keys. `base` holds the params of the rule being overridden
   * (a config rule named like a template rule): a key not given keeps its value there.
   * `measurement` is the rule's own, the default for the other points a rule names.
   */
  compile?(input: RuleInput, measurement: string, base: P | undefined): P;
  /**
   * The points the rule reads, in the order `judge` receives their values. Most kinds read the
   * rule's own point; a kind returning more is judged once per poll with all values at hand.
   */
  inputs(rule: AlertRule<P>): readonly PointRef[];
  /** Judges one evaluation. `values` are numbers (never NaN) in `inputs` order; do not keep the array. */
  judge(rule: AlertRule<P>, values: readonly number[], series: SeriesMemory<M>, now: number): Verdict;
  /** The value an alert reports for these inputs (default: the first one). */
  valueFor?(rule: AlertRule<P>, values: readonly number[]): number;
  /**
   * Kinds driven by time instead of readings (stale data): judged on every tick with the time the
   * device last answered. Such kinds' `judge` says 'hold'.
   */
  tick?(rule: AlertRule<P>, lastSeen: number | undefined, now: number): { verdict: Verdict; value?: number };
  /**
   * The condition in words, for messages ("> 32 °C", "= 电池供电", "rise ≥ 2 in 10 min"). Values go
   * through `format`, which knows the points' units and state names; without one they print as numbers.
   */
  describe(rule: AlertRule<P>, format?: DescribeFormat): string;
}

/**
 * How a condition reads in one message language: a point's value as people say it (a state's name,
 * a number with its unit). The display (alerting/display.ts) builds it from the device's template.
 */
export interface DescribeFormat {
  readonly language: 'en' | 'zh-CN';
  value(value: number, point: PointRef): string;
}

/** Numbers as they are, words in English: the condition as the journal and logs keep it. */
export const PLAIN_FORMAT: DescribeFormat = { language: 'en', value: (value) => String(value) };

/** The rule's own point, for kinds that read one. */
export function ownPoint(rule: AlertRule): readonly PointRef[] {
  return [{ measurement: rule.measurement, field: rule.field, tags: rule.tags }];
}

/** A key's value as given, or the overridden rule's where it is not given. */
export function given<T>(value: unknown, fallback: T | undefined): T | undefined {
  return value === undefined ? fallback : (value as T);
}
