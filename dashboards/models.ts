import type { DeviceTemplate } from '../common/contracts/device.js';
import type { Context } from './context.js';
import type { FieldView } from './fields.js';
import { tagMatchesValues } from './influxql.js';

/** The device_type tag: the template's name on every stored point. */
const DEVICE_TYPE_TAG = 'device_type';

type LoosePoint = { measurement: string; field: string };

function stores(template: DeviceTemplate, measurement: string, field?: string): boolean {
  return (template.points as unknown as LoosePoint[]).some((p) => p.measurement === measurement && (field === undefined || p.field === field));
}

export interface ModelFilter {
  /** `"device_type" =~ /^(a|b)$/`: only the models that have the point. */
  where: string;
  /** What the panel shows in a room without those models, zh-CN and en. */
  noValue: string;
}

/**
 * A point only some templates of its measurement have (one UPS MIB's bypass readings) is asked
 * of those device types only, and its panel says why a room without them is empty: an absent
 * model, not missing data. A point every such template has needs neither.
 */
export function modelFilter(ctx: Context, view: FieldView): ModelFilter | undefined {
  const sharing = ctx.templates.filter((t) => stores(t, view.measurement));
  const names = sharing.filter((t) => stores(t, view.measurement, view.field)).map((t) => t.name);
  if (!names.length || names.length === sharing.length) return undefined;
  return { where: tagMatchesValues(DEVICE_TYPE_TAG, names), noValue: `本机房无此型号设备（${names.join('、')}）/ no ${names.join(' or ')} device here` };
}
