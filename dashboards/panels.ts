import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { MappingType, ThresholdsConfigBuilder, ThresholdsMode, type Panel, type ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelineBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as BarGaugeBuilder } from '@grafana/grafana-foundation-sdk/bargauge';
import type { FieldView } from './fields.js';

/** The 10-second convention of Chinese power-and-environment monitoring: no panel asks finer. */
export const MIN_INTERVAL = '10s';

const SEVERITY_COLOR = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'blue' } as const;

/** Grafana thresholds from rule limits: the band between the lowest `above` and highest `below` is green. */
export function thresholdsFor(view: FieldView): ThresholdsConfigBuilder {
  const below = view.limits.filter((l) => l.side === 'below').sort((a, b) => a.value - b.value);
  const above = view.limits.filter((l) => l.side === 'above').sort((a, b) => a.value - b.value);
  const steps: Array<{ value: number | null; color: string }> = [{ value: null, color: below[0] ? SEVERITY_COLOR[below[0].severity] : 'green' }];
  below.forEach((limit, i) => steps.push({ value: limit.value, color: below[i + 1] ? SEVERITY_COLOR[below[i + 1]!.severity] : 'green' }));
  for (const limit of above) steps.push({ value: limit.value, color: SEVERITY_COLOR[limit.severity] });
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

/** A state's names, zh-CN first, as its value mapping shows it. */
export function stateMappings(states: NonNullable<FieldView['states']>, colors: Readonly<Record<string, string>> = {}): ValueMapping[] {
  const options = Object.fromEntries(
    Object.entries(states).map(([value, name], index) => [value, { text: `${name['zh-CN']} / ${name.en}`, index, ...(colors[value] ? { color: colors[value] } : {}) }]),
  );
  return [{ type: MappingType.ValueToText, options }];
}

export interface Place {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Fills the 24-column grid left to right, row by row (the SDK's auto-layout can overflow it). */
export class Grid {
  #x = 0;
  #y = 0;
  #rowHeight = 0;
  #nextId = 1;

  place(w: number, h: number): Place {
    if (this.#x + w > 24) this.newRow();
    const place = { x: this.#x, y: this.#y, w, h };
    this.#x += w;
    this.#rowHeight = Math.max(this.#rowHeight, h);
    return place;
  }

  newRow(): void {
    if (this.#x === 0) return;
    this.#y += this.#rowHeight;
    this.#x = 0;
    this.#rowHeight = 0;
  }

  nextId(): number {
    return this.#nextId++;
  }
}

export interface PanelSpec {
  title: string;
  description?: string;
  targets: Array<Builder<Dataquery>>;
  /** Grafana's minimum interval: 10s for readings, 1d for daily statistics. */
  interval?: string;
  unit?: string;
  timeShift?: string;
  timeFrom?: string;
  /** Shown instead of "No data", saying what an empty panel means (zh-CN / en). */
  noValue?: string;
}

type Common = { title(t: string): unknown; description(d: string): unknown; targets(t: Array<Builder<Dataquery>>): unknown; interval(i: string): unknown; unit(u: string): unknown; timeShift(t: string): unknown; timeFrom(t: string): unknown; gridPos(p: Place): unknown; id(n: number): unknown; noValue(n: string): unknown };

function apply<T extends Common>(panel: T, spec: PanelSpec, grid: Grid, place: Place): T {
  panel.id(grid.nextId());
  panel.title(spec.title);
  if (spec.description) panel.description(spec.description);
  panel.targets(spec.targets);
  panel.interval(spec.interval ?? MIN_INTERVAL);
  if (spec.unit) panel.unit(spec.unit);
  if (spec.timeShift) panel.timeShift(spec.timeShift);
  if (spec.timeFrom) panel.timeFrom(spec.timeFrom);
  if (spec.noValue) panel.noValue(spec.noValue);
  panel.gridPos(place);
  return panel;
}

/** A field's history: a line per series, or a state timeline when the field has named states. */
export function fieldPanel(view: FieldView, spec: PanelSpec, grid: Grid, w = 12, h = 8): Builder<Panel> {
  const place = grid.place(w, h);
  const withView = { ...spec, unit: spec.unit ?? view.grafanaUnit, description: spec.description ?? view.description };
  if (view.states) {
    return apply(new StateTimelineBuilder(), withView, grid, place).mappings(stateMappings(view.states)).thresholds(thresholdsFor(view));
  }
  return apply(new TimeseriesBuilder(), withView, grid, place).thresholds(thresholdsFor(view)).lineWidth(1).fillOpacity(10);
}

export function statPanel(spec: PanelSpec, grid: Grid, options: { w?: number; h?: number; mappings?: ValueMapping[]; thresholds?: ThresholdsConfigBuilder; noValue?: string } = {}): Builder<Panel> {
  const panel = apply(new StatBuilder(), spec, grid, grid.place(options.w ?? 6, options.h ?? 4));
  if (options.mappings) panel.mappings(options.mappings);
  if (options.thresholds) panel.thresholds(options.thresholds);
  if (options.noValue) panel.noValue(options.noValue);
  return panel;
}

export function timeseriesPanel(spec: PanelSpec, grid: Grid, options: { w?: number; h?: number; bars?: boolean } = {}): Builder<Panel> {
  const panel = apply(new TimeseriesBuilder(), spec, grid, grid.place(options.w ?? 12, options.h ?? 8));
  return panel.lineWidth(1).fillOpacity(options.bars ? 80 : 10);
}

export function stateTimelinePanel(spec: PanelSpec, grid: Grid, mappings: ValueMapping[], options: { w?: number; h?: number } = {}): Builder<Panel> {
  return apply(new StateTimelineBuilder(), spec, grid, grid.place(options.w ?? 24, options.h ?? 8)).mappings(mappings);
}

export function tablePanel(spec: PanelSpec, grid: Grid, options: { w?: number; h?: number; sortBy?: string } = {}): Builder<Panel> {
  const panel = apply(new TableBuilder(), spec, grid, grid.place(options.w ?? 12, options.h ?? 8));
  if (options.sortBy) panel.withTransformation({ id: 'sortBy', options: { sort: [{ field: options.sortBy, desc: true }] } });
  return panel;
}

export function barGaugePanel(spec: PanelSpec, grid: Grid, options: { w?: number; h?: number; mappings?: ValueMapping[]; thresholds?: ThresholdsConfigBuilder } = {}): Builder<Panel> {
  const panel = apply(new BarGaugeBuilder(), spec, grid, grid.place(options.w ?? 12, options.h ?? 8));
  if (options.mappings) panel.mappings(options.mappings);
  if (options.thresholds) panel.thresholds(options.thresholds);
  return panel;
}
