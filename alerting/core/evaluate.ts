import type { Phase, Verdict } from './kinds/kind.js';
import type { AlertRule } from './rule.js';

/** The parts of a reading the core needs. */
export interface Sample {
  measurement: string;
  field: string;
  tags: Readonly<Record<string, string>>;
  value: number | string | null;
  time: number;
}

/** What the core remembers of one alert series (rule + device + labels). */
export interface SeriesState {
  key: string;
  rule: string;
  device: string;
  labels: Record<string, string>;
  phase: Phase;
  /** When the current phase began. */
  since: number;
  /** When it last started firing. */
  firingSince?: number;
  value?: number | string;
  lastSeen: number;
  /** What the rule's kind keeps between evaluations (a rate window, a count of silent polls). */
  memory?: unknown;
  /** Times of recent firing/resolved changes, for flapping detection. */
  changes: number[];
  flapping: boolean;
}

export interface EvalState {
  series: Map<string, SeriesState>;
  /** Rules judged so far (a value or a timer), for the daemon's metrics. */
  evaluations: number;
}

/**
 * `updated`: an active series' value moved without a change of phase (the alert shows the value it
 * reads now). Flapping changes come as `firing`/`resolved` marked `suppressed`; the alert stays
 * throughout and a calm window that finds the series clear ends it with one plain `resolved`.
 */
export type TransitionKind = 'pending' | 'firing' | 'resolved' | 'updated' | 'flapping_started' | 'flapping_ended';

export interface Transition {
  kind: TransitionKind;
  key: string;
  rule: AlertRule;
  device: string;
  labels: Record<string, string>;
  value?: number | string;
  at: number;
  /** When the alert started firing (for resolved: how long it lasted). */
  firingSince?: number;
  /** A firing/resolved change hidden because the series is flapping. */
  suppressed?: 'flapping';
  /** A resolved change a trap made (its name in the template), not an evaluation. */
  clearedByTrap?: string;
}

export interface FlappingPolicy {
  windowMs: number;
  /** Firing/resolved changes within the window that make a series flapping. */
  changes: number;
}

export const DEFAULT_FLAPPING: FlappingPolicy = { windowMs: 30 * 60_000, changes: 6 };

/** Rules per device id, and tags that identify a device rather than a series inside it. */
export interface RuleBook {
  /** Rules reading this one point (kinds with one input). */
  rulesFor(device: string, measurement: string, field: string): readonly AlertRule[];
  /** Rules reading several points of the device, judged once per poll with all their values. */
  jointRulesFor(device: string): readonly AlertRule[];
  allFor(device: string): readonly AlertRule[];
  /** Tags every reading of the device carries (site, room, labels): not part of a series' identity. */
  deviceTags(device: string): ReadonlySet<string>;
}

export function createState(): EvalState {
  return { series: new Map(), evaluations: 0 };
}

/** Stable identity of an alert: rule + device + the series' own tags (phase, sensor, ...). */
export function seriesKey(rule: string, device: string, labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`);
  return `${rule}|${device}${parts.length ? `|${parts.join(',')}` : ''}`;
}

/** Reused for single-input kinds, which are most evaluations: no array per reading. */
const ONE_VALUE: number[] = [0];

/**
 * The alerting core: folds readings into the alert state at time `now` and returns what changed.
 * No I/O and no clock: the same inputs give the same outputs. It updates the state it is given
 * (copying 10,000 series per poll would cost more than the evaluation) and returns it.
 */
export function evaluate(state: EvalState, samples: readonly Sample[], rules: RuleBook, now: number, flapping = DEFAULT_FLAPPING): Transition[] {
  const transitions: Transition[] = [];
  const devices: string[] = [];
  for (const sample of samples) {
    const device = sample.tags.device;
    if (!device || sample.value === null) continue;
    // A poll is one device's readings, so this list stays short.
    if (devices[devices.length - 1] !== device && !devices.includes(device)) devices.push(device);
    for (const rule of rules.rulesFor(device, sample.measurement, sample.field)) {
      if (rule.tags && !carries(sample, rule.tags)) continue;
      const labels = seriesLabels(sample.tags, rules.deviceTags(device));
      const series = seriesFor(state, rule, device, labels, now);
      const value = typeof sample.value === 'number' ? sample.value : Number.NaN;
      let verdict: Verdict = 'hold';
      if (!Number.isNaN(value)) {
        ONE_VALUE[0] = value;
        verdict = rule.kind.judge(rule, ONE_VALUE, series, now);
        state.evaluations++;
      }
      step(series, rule, verdict, now, sample.value, transitions, flapping);
    }
  }
  for (const device of devices) {
    for (const rule of rules.jointRulesFor(device)) judgeJoint(state, rule, device, samples, rules.deviceTags(device), now, transitions, flapping);
  }
  return transitions;
}

/**
 * A rule over several points of a device, judged once with this poll's value of each. Readings
 * pair up by the labels their points do not name (a CRAC's two sensors share none; two units of
 * one device would pair per unit); a point without a number this poll holds the series as it is.
 */
function judgeJoint(state: EvalState, rule: AlertRule, device: string, samples: readonly Sample[], deviceTags: ReadonlySet<string>, now: number, out: Transition[], flapping: FlappingPolicy): void {
  const refs = rule.kind.inputs(rule);
  const named = new Set([...deviceTags, ...refs.flatMap((r) => Object.keys(r.tags ?? {}))]);
  const bySeries = new Map<string, { labels: Record<string, string>; values: Array<number | undefined> }>();
  refs.forEach((ref, i) => {
    for (const sample of samples) {
      if (sample.tags.device !== device || sample.measurement !== ref.measurement || sample.field !== ref.field || sample.value === null) continue;
      if (ref.tags && !carries(sample, ref.tags)) continue;
      const labels = seriesLabels(sample.tags, named);
      const key = seriesKey(rule.name, device, labels);
      const entry = bySeries.get(key) ?? { labels, values: refs.map(() => undefined) };
      entry.values[i] = typeof sample.value === 'number' && !Number.isNaN(sample.value) ? sample.value : undefined;
      bySeries.set(key, entry);
    }
  });
  for (const { labels, values } of bySeries.values()) {
    const series = seriesFor(state, rule, device, labels, now);
    const complete = values.every((v) => v !== undefined);
    if (!complete) {
      step(series, rule, 'hold', now, undefined, out, flapping);
      continue;
    }
    const verdict = rule.kind.judge(rule, values, series, now);
    state.evaluations++;
    step(series, rule, verdict, now, rule.kind.valueFor?.(rule, values) ?? values[0], out, flapping);
  }
}

function carries(sample: Sample, tags: Readonly<Record<string, string>>): boolean {
  for (const k in tags) if (sample.tags[k] !== tags[k]) return false;
  return true;
}

function seriesFor(state: EvalState, rule: AlertRule, device: string, labels: Record<string, string>, now: number): SeriesState {
  const key = seriesKey(rule.name, device, labels);
  let series = state.series.get(key);
  if (!series) {
    series = { key, rule: rule.name, device, labels, phase: 'ok', since: now, lastSeen: now, changes: [], flapping: false };
    state.series.set(key, series);
  }
  series.lastSeen = now;
  return series;
}

/**
 * Time-driven checks with no reading to trigger them: stale data, durations that elapse between
 * polls, and flapping that has calmed down. Call it every few seconds with the devices known.
 */
export function tick(state: EvalState, devices: readonly string[], rules: RuleBook, now: number, lastSeenByDevice: ReadonlyMap<string, number>, flapping = DEFAULT_FLAPPING): Transition[] {
  const transitions: Transition[] = [];
  for (const device of devices) {
    for (const rule of rules.allFor(device)) {
      if (!rule.kind.tick) continue;
      const key = seriesKey(rule.name, device, {});
      let series = state.series.get(key);
      if (!series) {
        series = { key, rule: rule.name, device, labels: {}, phase: 'ok', since: now, lastSeen: now, changes: [], flapping: false };
        state.series.set(key, series);
      }
      const judged = rule.kind.tick(rule, lastSeenByDevice.get(device), now);
      state.evaluations++;
      step(series, rule, judged.verdict, now, judged.value, transitions, flapping);
    }
  }
  for (const series of state.series.values()) {
    const rule = rules.allFor(series.device).find((r) => r.name === series.rule);
    if (!rule) continue;
    if (!rule.kind.tick) step(series, rule, 'hold', now, series.value, transitions, flapping);
  }
  return transitions;
}

const PHASE_MOVES: Record<Phase, [Verdict, Phase]> = {
  ok: ['raise', 'pending'],
  pending: ['clear', 'ok'],
  firing: ['clear', 'clearing'],
  clearing: ['raise', 'firing'],
};

function step(series: SeriesState, rule: AlertRule, verdict: Verdict, now: number, value: number | string | undefined, out: Transition[], flapping: FlappingPolicy): void {
  const emitted = out.length;
  // An alert on the series (firing, or kept while flapping) shows the value read now, also inside
  // a hysteresis band (a hold); a quiet series keeps the value that last moved its phase.
  const active = series.flapping || series.phase === 'firing' || series.phase === 'clearing';
  let moved = false;
  if (value !== undefined && (active || verdict !== 'hold')) {
    moved = active && value !== series.value;
    series.value = value;
  }
  const emit = (kind: TransitionKind, extra: Partial<Transition> = {}) =>
    out.push({ kind, key: series.key, rule, device: series.device, labels: series.labels, value: series.value, at: now, firingSince: series.firingSince, ...extra });
  const change = (kind: 'firing' | 'resolved') => {
    series.changes.push(now);
    series.changes = series.changes.filter((t) => t > now - flapping.windowMs);
    const starts = !series.flapping && series.changes.length >= flapping.changes;
    // The change that starts flapping still moves the alert's condition: only its notice is held back.
    emit(kind, series.flapping || starts ? { suppressed: 'flapping' } : {});
    if (starts) {
      series.flapping = true;
      emit('flapping_started');
    }
  };
  // Which verdict moves each phase on, and where to: raise starts or resumes firing, clear backs off.
  const [trigger, next] = PHASE_MOVES[series.phase];
  if (verdict === trigger) {
    series.phase = next;
    series.since = now;
    if (next === 'pending' && rule.forMs > 0) emit('pending');
  }
  if (series.phase === 'pending' && now - series.since >= rule.forMs && verdict !== 'clear') {
    series.phase = 'firing';
    series.since = now;
    series.firingSince = now;
    change('firing');
  } else if (series.phase === 'clearing' && now - series.since >= rule.clearForMs && verdict !== 'raise') {
    series.phase = 'ok';
    series.since = now;
    change('resolved');
    series.firingSince = undefined;
  }
  if (series.flapping && series.changes.every((t) => t <= now - flapping.windowMs)) {
    series.flapping = false;
    emit('flapping_ended', { value: series.value });
    // Calm again: clear, the alert kept through the flapping ends here; still firing, it goes on.
    if (series.phase === 'ok' || series.phase === 'pending') emit('resolved');
  }
  if (moved && out.length === emitted) emit('updated');
}

function seriesLabels(tags: Readonly<Record<string, string>>, deviceTags: ReadonlySet<string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (!deviceTags.has(k)) labels[k] = v;
  return labels;
}
