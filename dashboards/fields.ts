import type { DeviceTemplate, StateName } from '../common/contracts/device.js';
import type { TemplateRuleSpec } from '../common/contracts/template-rule.js';
import { grafanaUnit } from './units.js';

/** What a panel of one field shows, taken from the templates' points and rules, never per device type. */
export interface FieldView {
  measurement: string;
  field: string;
  /** The template's unit as written (degC) and Grafana's id for it (celsius). */
  unit?: string;
  grafanaUnit?: string;
  description?: string;
  /** Enumerated values, raw value → names: shown as value mappings on a state timeline. */
  states?: Readonly<Record<string, StateName>>;
  /** Tag keys that split the field into series (phase, sensor), from the points. */
  seriesTags: string[];
  /** Threshold limits of the templates' rules on this field, with their severities. */
  limits: Array<{ value: number; side: 'above' | 'below'; severity: TemplateRuleSpec['severity'] }>;
}

type LoosePoint = { field: string; measurement: string; unit?: string; description?: string; states?: Readonly<Record<string, StateName>>; tags: Readonly<Record<string, string>> };

/** Text points (alarm descriptions) have no panel: the drivers mark them, structurally, so no driver is imported. */
function isText(point: unknown): boolean {
  const p = point as { valueType?: string; type?: string };
  return p.valueType === 'string' || p.type === 'string';
}

/** The SNMP column tag (phase, sensor): each row becomes a series. */
function indexTag(point: unknown): string | undefined {
  const tag = (point as { indexTag?: unknown }).indexTag;
  return typeof tag === 'string' ? tag : undefined;
}

/**
 * One view per (measurement, field) over the given templates, in template and point order. Two
 * templates of one category measuring the same field (two UPS MIBs) share a panel: the first
 * point's unit and states win, their limits are merged.
 */
export function fieldViews(templates: readonly DeviceTemplate[]): FieldView[] {
  const views = new Map<string, FieldView>();
  for (const template of templates) {
    for (const point of template.points as unknown as LoosePoint[]) {
      if (isText(point)) continue;
      const key = `${point.measurement}\u0000${point.field}`;
      let view = views.get(key);
      if (!view) {
        view = {
          measurement: point.measurement,
          field: point.field,
          unit: point.unit,
          grafanaUnit: grafanaUnit(point.unit),
          description: point.description,
          states: point.states,
          seriesTags: [],
          limits: [],
        };
        views.set(key, view);
      }
      for (const tag of [...Object.keys(point.tags), indexTag(point)]) if (tag && !view.seriesTags.includes(tag)) view.seriesTags.push(tag);
    }
    for (const rule of template.rules) {
      const view = views.get(`${rule.measurement}\u0000${rule.field}`);
      if (!view || rule.kind !== 'threshold') continue;
      const params = rule.params as { above?: number; below?: number };
      for (const side of ['above', 'below'] as const) {
        const value = params[side];
        if (value !== undefined && !view.limits.some((l) => l.side === side && l.value === value)) view.limits.push({ value, side, severity: rule.severity });
      }
    }
  }
  return [...views.values()];
}

export function findView(views: readonly FieldView[], measurement: string, field: string): FieldView | undefined {
  return views.find((v) => v.measurement === measurement && v.field === field);
}
