/**
 * Every query a Grafana dashboard would send to InfluxDB, expanded as Grafana expands it, and a
 * check that each one draws something: the issue's "a panel that would show No data fails".
 *
 * For each time range asked for (and the dashboard's own), each combination of variable values
 * a user can pick (query variables run against InfluxDB; an empty one is a failure), each panel
 * (repeated per value of its or its row's `repeat` variable), each target: the frontend's
 * variable expansion (grafana/template.ts), then the backend's macros with the panel's range
 * and interval (grafana/time.ts). Expressions (`$A / $B`) are evaluated on the returned series
 * (grafana/expressions.ts). Annotations are expanded and checked the same way.
 */
import { evaluateMath, evaluateReduce, expressionInputs, hasFiniteValue, toSeries, type ExprValue, type ExpressionTarget } from './grafana/expressions.js';
import { hasNoSeries, type Explanation } from './grafana/explain.js';
import { annotationQuery, drawsData, isBuiltInAnnotation, panelsWithRows, targetKind, type Dashboard, type Panel } from './grafana/model.js';
import { leftovers, replaceVariables, type Chosen, type Scope } from './grafana/template.js';
import { expandMacros, panelInterval, panelRange, timeRange, type TimeRange } from './grafana/time.js';
import { describeScope, selections, type InfluxAnswer, type RunQuery } from './grafana/variables.js';

export type { Dashboard } from './grafana/model.js';
export type { InfluxAnswer, RunQuery } from './grafana/variables.js';

export interface DashboardCheckOptions {
  run: RunQuery;
  /** The instant "now" stands for, fixed so identical queries repeat identically. */
  now: number;
  /** Ranges to look at besides the dashboard's own default, e.g. now-15m..now and now-90d..now. */
  ranges: Array<{ from: string; to: string }>;
  /** The uid of the InfluxDB datasource the panels name. */
  influxUid: string;
  /** Time zone of a dashboard set to "browser" (the viewer's). */
  browserTimezone: string;
  /** The datasource's min interval (jsonData.timeInterval), the floor of $__interval. */
  minInterval?: string;
  /** Width in pixels of the screen the dashboard fills: a panel's default data points. */
  screenWidth?: number;
  /** At most this many combinations of variable values per range. */
  maxSelections?: number;
}

export interface QueryView {
  refId: string;
  hidden: boolean;
  template: string;
  query: string;
  /** The same target without the panel's timeShift, when it has one. */
  unshifted?: string;
}

/** One panel as Grafana shows it for one range and one choice of variable values. */
export interface PanelView {
  kind: 'panel';
  dashboard: string;
  panel: string;
  where: string;
  /** The panel in this choice of variables, whatever the range: the same target across views. */
  identity: string;
  /** The panel's fieldConfig.defaults.noValue: what it shows, and means, when empty. */
  noValue?: string;
  queries: QueryView[];
  expressions: ExpressionTarget[];
}

export interface AnnotationView {
  kind: 'annotation';
  dashboard: string;
  panel: string;
  where: string;
  query: QueryView;
}

export interface Problem {
  kind: 'problem';
  dashboard: string;
  panel: string;
  where: string;
  message: string;
}

export type View = PanelView | AnnotationView | Problem;

function builtinsFor(range: TimeRange): Record<string, string> {
  const ms = range.to - range.from;
  return { __from: String(range.from), __to: String(range.to), __range_ms: String(ms), __range_s: String(Math.round(ms / 1000)), __range: `${Math.round(ms / 1000)}s` };
}

function zoneOf(dashboard: Dashboard, options: DashboardCheckOptions): string {
  const zone = dashboard.timezone;
  if (!zone || zone === 'browser') return options.browserTimezone;
  return zone === 'utc' ? 'UTC' : zone;
}

/** The scopes a panel is drawn in: one per value of its row's and its own `repeat` variable. */
function repeatScopes(scope: Scope, names: Array<string | undefined>): Array<{ scope: Scope; label: string }> {
  let out = [{ scope, label: '' }];
  for (const name of names) {
    if (!name) continue;
    const chosen = scope[name];
    if (!chosen) return [];
    const values = Array.isArray(chosen.value) ? chosen.value : [chosen.value];
    const texts = Array.isArray(chosen.text) && chosen.text.length === values.length ? chosen.text : values;
    out = out.flatMap((o) => values.map((value, i) => ({ scope: { ...o.scope, [name]: { variable: chosen.variable, value, text: texts[i]! } satisfies Chosen }, label: `${o.label}${name}=${texts[i]!} ` })));
  }
  return out;
}

function panelView(dashboard: Dashboard, panel: Panel, scope: Scope, range: TimeRange, where: string, options: DashboardCheckOptions): View[] {
  const name = dashboard.title;
  const zone = zoneOf(dashboard, options);
  const title = replaceVariables(panel.title ?? `panel ${panel.id ?? '?'}`, scope, {}, 'influx').trim() || `panel ${panel.id ?? '?'}`;
  const problem = (message: string): Problem => ({ kind: 'problem', dashboard: name, panel: title, where, message });
  if (panel.libraryPanel) return [problem('a library panel: its queries are not in the dashboard JSON')];
  const targets = panel.targets ?? [];
  if (!targets.length) return [problem('a data panel without queries shows "No data"')];
  const shown = panelRange(range, options.now, zone, panel.timeFrom, panel.timeShift);
  const width = ((panel.gridPos?.w ?? 24) / 24) * (options.screenWidth ?? 1920);
  const lowLimit = panel.interval ? replaceVariables(panel.interval, scope, {}, 'influx') : options.minInterval;
  const interval = panelInterval(shown, panel.maxDataPoints ?? Math.round(width), lowLimit);
  const builtins = builtinsFor(shown);
  const unshiftedRange = panel.timeShift ? panelRange(range, options.now, zone, panel.timeFrom, undefined) : undefined;
  const resolveUid = (uid: string) => replaceVariables(uid, scope, {}, 'influx');
  const noValue = panel.fieldConfig?.defaults?.noValue;
  const view: PanelView = {
    kind: 'panel',
    dashboard: name,
    panel: title,
    where: `${where} ${shown.raw.from}..${shown.raw.to} $__interval=${interval.text}`,
    identity: `${panel.id ?? title}|${where}`,
    ...(typeof noValue === 'string' && noValue.trim() ? { noValue } : {}),
    queries: [],
    expressions: [],
  };
  const problems: Problem[] = [];
  for (const target of targets) {
    const kind = targetKind(target, panel, options.influxUid, resolveUid);
    if (kind.kind === 'shared') return [];
    if (kind.kind === 'other') problems.push(problem(`target ${target.refId}: ${kind.why}`));
    else if (kind.kind === 'expression') view.expressions.push(kind.expression);
    else {
      const template = target.query!;
      const query = expandMacros(replaceVariables(template, scope, builtins, 'influx'), shown, interval);
      const unshifted = unshiftedRange && expandMacros(replaceVariables(template, scope, builtinsFor(unshiftedRange), 'influx'), unshiftedRange, panelInterval(unshiftedRange, panel.maxDataPoints ?? Math.round(width), lowLimit));
      view.queries.push({ refId: target.refId, hidden: target.hide === true, template, query, ...(unshifted ? { unshifted } : {}) });
    }
  }
  return [...problems, view];
}

/** Every view of the dashboard: panels and annotations per range and choice of variables, and the problems met. */
export async function* dashboardViews(dashboard: Dashboard, options: DashboardCheckOptions): AsyncGenerator<View> {
  const zone = zoneOf(dashboard, options);
  const ranges = [...options.ranges];
  if (dashboard.time && !ranges.some((r) => r.from === dashboard.time!.from && r.to === dashboard.time!.to)) ranges.push(dashboard.time);
  const variables = dashboard.templating?.list ?? [];
  for (const raw of ranges) {
    const range = timeRange(raw.from, raw.to, options.now, zone);
    const context = { run: options.run, range, builtins: builtinsFor(range), influxUid: options.influxUid };
    for await (const selection of selections(variables, context, options.maxSelections ?? 200)) {
      if ('problem' in selection) {
        yield { kind: 'problem', dashboard: dashboard.title, panel: '(variables)', where: `${raw.from}..${raw.to}`, message: selection.problem };
        continue;
      }
      const where = describeScope(selection.scope);
      for (const { panel, row } of panelsWithRows(dashboard)) {
        if (!drawsData(panel)) continue;
        for (const repeated of repeatScopes(selection.scope, [row?.repeat, panel.repeat])) {
          yield* panelView(dashboard, panel, repeated.scope, range, `[${describeScope(repeated.scope) || where}]`, options);
        }
      }
      for (const annotation of dashboard.annotations?.list ?? []) {
        if (isBuiltInAnnotation(annotation)) continue;
        const template = annotationQuery(annotation);
        const label = `annotation "${annotation.name}"`;
        if (!template) {
          yield { kind: 'problem', dashboard: dashboard.title, panel: label, where, message: 'an annotation without an InfluxQL query' };
          continue;
        }
        const interval = panelInterval(range, options.screenWidth ?? 1920, options.minInterval);
        const query = expandMacros(replaceVariables(template, selection.scope, builtinsFor(range), 'regex'), range, interval);
        yield { kind: 'annotation', dashboard: dashboard.title, panel: label, where: `[${where}] ${raw.from}..${raw.to}`, query: { refId: 'annotation', hidden: false, template, query } };
      }
    }
  }
}

/** A value column with at least one non-null value in some series: what Grafana would draw. */
export function hasData(answer: InfluxAnswer): boolean {
  return answer.series.some((s) => s.values.some((row) => row.some((v, i) => s.columns[i] !== 'time' && v !== null && v !== undefined)));
}

export interface DashboardCheck {
  /** Panel and annotation views looked at. */
  views: number;
  /** Distinct queries sent to InfluxDB. */
  queries: number;
  failures: string[];
  /** Empty targets of noValue panels that passed, by what explained them (explain.ts). */
  explained: Record<Explanation, number>;
}

/** An empty target of a noValue panel, failing unless explained once every view has run. */
interface Pending {
  failure: string;
  key: string;
  query: string;
  unshifted?: string;
}

/** An expression of a noValue panel with no finite value: explained only if every empty query it reads is. */
interface PendingExpression {
  failure: string;
  inputs: Pending[];
}

/** Runs every view's queries (each distinct query once) and lists what would not draw. */
export async function checkDashboard(dashboard: Dashboard, options: DashboardCheckOptions): Promise<DashboardCheck> {
  const answers = new Map<string, Promise<InfluxAnswer>>();
  const run: RunQuery = (query) => {
    let answer = answers.get(query);
    if (!answer) answers.set(query, (answer = options.run(query)));
    return answer;
  };
  const failures: string[] = [];
  let views = 0;
  const line = (view: View, what: string, query?: string) => `${view.dashboard} / ${view.panel} ${view.where}: ${what}${query ? `\n    ${query}` : ''}`;
  const fail = (view: View, what: string, query?: string) => failures.push(line(view, what, query));
  const withData = new Set<string>();
  const pending: Pending[] = [];
  const pendingExpressions: PendingExpression[] = [];
  for await (const view of dashboardViews(dashboard, { ...options, run })) {
    if (view.kind === 'problem') {
      fail(view, view.message);
      continue;
    }
    views++;
    const queries = view.kind === 'panel' ? view.queries : [view.query];
    const expressions = view.kind === 'panel' ? view.expressions : [];
    const needed = new Set([...queries.filter((q) => !q.hidden).map((q) => q.refId), ...referencedBy(expressions.filter((e) => !e.hide), expressions)]);
    if (!needed.size && !expressions.some((e) => !e.hide)) fail(view, 'every query is hidden: nothing to draw');
    const values: Record<string, ExprValue> = {};
    const empty = new Map<string, Pending>();
    for (const q of queries.filter((q) => needed.has(q.refId))) {
      const left = leftovers(q.query);
      if (left.length) fail(view, `${q.refId}: not substituted: ${left.join(', ')}`, q.query);
      const answer = await run(q.query);
      if (answer.error) fail(view, `${q.refId}: InfluxDB error: ${answer.error}`, q.query);
      else if (!hasData(answer)) {
        const what = `${q.refId}: no data (no series with a non-null value)`;
        if (view.kind === 'panel' && view.noValue !== undefined) {
          const wait: Pending = { failure: line(view, what, q.query), key: `${view.identity}|${q.refId}`, query: q.query, ...(q.unshifted ? { unshifted: q.unshifted } : {}) };
          pending.push(wait);
          empty.set(q.refId, wait);
        } else fail(view, what, q.query);
      } else if (view.kind === 'panel') withData.add(`${view.identity}|${q.refId}`);
      values[q.refId] = { kind: 'series', items: toSeries(answer.series) };
    }
    let ordered: ExpressionTarget[] = [];
    try {
      ordered = orderExpressions(expressions);
    } catch (error) {
      fail(view, (error as Error).message);
    }
    for (const e of ordered) {
      try {
        values[e.refId] = evaluate(e, values);
        if (!e.hide && !hasFiniteValue(values[e.refId]!)) {
          const what = `${e.refId}: expression ${JSON.stringify(e.expression)} gives no finite value`;
          const inputs = referencedBy([e], expressions).flatMap((ref) => empty.get(ref) ?? []);
          if (view.kind === 'panel' && view.noValue !== undefined && inputs.length) pendingExpressions.push({ failure: line(view, what), inputs });
          else fail(view, what);
        }
      } catch (error) {
        fail(view, `${e.refId}: ${(error as Error).message}`);
      }
    }
  }
  const explained = await explainEmpty(pending, withData, run);
  failures.push(...pending.filter((p) => !explained.has(p)).map((p) => p.failure));
  failures.push(...pendingExpressions.filter((e) => !e.inputs.every((p) => explained.has(p))).map((e) => e.failure));
  const counts: Record<Explanation, number> = { range: 0, 'no series': 0 };
  for (const why of explained.values()) counts[why]++;
  return { views, queries: answers.size, failures, explained: counts };
}

/** Which pending empty targets influxd explains, and how: (a) another view has data, (b) no such series. */
async function explainEmpty(pending: Pending[], withData: Set<string>, run: RunQuery): Promise<Map<Pending, Explanation>> {
  const out = new Map<Pending, Explanation>();
  const noSeries = new Map<string, Promise<boolean>>();
  // The panel without its timeShift, in any range, is another view of the same target.
  const seen = new Set(withData);
  for (const p of pending) if (p.unshifted && hasData(await run(p.unshifted))) seen.add(p.key);
  for (const p of pending) {
    if (seen.has(p.key)) out.set(p, 'range');
    else {
      let none = noSeries.get(p.query);
      // An influxd error while asking leaves the emptiness unexplained: the target fails as before.
      if (!none) noSeries.set(p.query, (none = hasNoSeries(p.query, run).catch(() => false)));
      if (await none) out.set(p, 'no series');
    }
  }
  return out;
}

function evaluate(e: ExpressionTarget, values: Record<string, ExprValue>): ExprValue {
  if (e.type === 'math') return evaluateMath(e.expression ?? '', values);
  const [input] = expressionInputs(e);
  const value = input === undefined ? undefined : values[input];
  if (!value) throw new Error(`expression ${e.refId} (${e.type}) reads "${e.expression}", which is no query or expression of this panel`);
  if (e.type === 'reduce') return evaluateReduce(e, value);
  if (e.type === 'threshold' || e.type === 'resample') return value;
  throw new Error(`expression ${e.refId}: type "${e.type}" is not supported by this check`);
}

/** The query refIds the given expressions read, through other expressions too. */
function referencedBy(roots: ExpressionTarget[], all: ExpressionTarget[]): string[] {
  const byRef = new Map(all.map((e) => [e.refId, e]));
  const seen = new Set<string>();
  const visit = (e: ExpressionTarget) => {
    for (const input of expressionInputs(e)) {
      if (seen.has(input)) continue;
      seen.add(input);
      const inner = byRef.get(input);
      if (inner) visit(inner);
    }
  };
  roots.forEach(visit);
  return [...seen].filter((ref) => !byRef.has(ref));
}

/** Expressions ordered so each comes after the expressions it reads. */
function orderExpressions(all: ExpressionTarget[]): ExpressionTarget[] {
  const byRef = new Map(all.map((e) => [e.refId, e]));
  const out: ExpressionTarget[] = [];
  const placed = new Set<string>();
  const place = (e: ExpressionTarget, path: string[]) => {
    if (placed.has(e.refId)) return;
    if (path.includes(e.refId)) throw new Error(`expressions read each other in a circle: ${[...path, e.refId].join(' → ')}`);
    for (const input of expressionInputs(e)) {
      const inner = byRef.get(input);
      if (inner) place(inner, [...path, e.refId]);
    }
    placed.add(e.refId);
    out.push(e);
  };
  for (const e of all) place(e, []);
  return out;
}

/**
 * The query texts of a dashboard before expansion (variables, panel targets, annotations), one
 * line each: two dashboards with the same lines send the same queries.
 */
export function queryTemplates(dashboard: Dashboard): string[] {
  const lines: string[] = [];
  for (const variable of dashboard.templating?.list ?? []) {
    const query = typeof variable.query === 'string' ? variable.query : JSON.stringify(variable.query ?? null);
    lines.push(`${dashboard.title} / $${variable.name} (${variable.type}): ${query}`);
  }
  for (const { panel } of panelsWithRows(dashboard)) {
    for (const target of panel.targets ?? []) {
      const text = typeof target.query === 'string' ? target.query : JSON.stringify((target as { expression?: unknown }).expression ?? null);
      lines.push(`${dashboard.title} / ${panel.title ?? ''} ${target.refId}${target.hide ? ' (hidden)' : ''}: ${text}`);
    }
  }
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (!isBuiltInAnnotation(annotation)) lines.push(`${dashboard.title} / annotation ${annotation.name}: ${annotationQuery(annotation) ?? ''}`);
  }
  return lines.sort();
}
