import type { DeviceSpec, PointMeaning, StateName } from '../../common/contracts/device.js';
import { NAME_TAGS } from '../../common/contracts/stored.js';

/** What the inspection report reads of the configuration: RoomwatchConfig has all of it. */
export interface InspectionSetup {
  sites: ReadonlyArray<{ id: string; name?: string; rooms: ReadonlyArray<{ id: string; name?: string }> }>;
  devices: readonly DeviceSpec[];
  timezone: string;
  nearThreshold: number;
}

export interface Limits {
  above?: number;
  below?: number;
}

/** One numeric point the report shows per device, and the limits the device's threshold rules give it. */
export interface StatPoint {
  measurement: string;
  field: string;
  tags: Readonly<Record<string, string>>;
  unit?: string;
  /** The innermost (first to fire) and outermost limits of the point's threshold rules. */
  warn: Limits;
  alarm: Limits;
}

export interface StatePoint {
  measurement: string;
  field: string;
  tags: Readonly<Record<string, string>>;
  description?: string;
  states: Readonly<Record<string, StateName>>;
  /** Raw values a state rule raises an alert on. */
  alarming: readonly number[];
}

/** The fields each kind of device is inspected on (template `category`). */
const INSPECTED: Readonly<Record<string, readonly string[]>> = {
  environment: ['temperature', 'humidity'],
  crac: ['temperature', 'humidity'],
  ups: ['output_load', 'battery_charge', 'battery_runtime_remaining'],
  power_meter: ['power_active_total', 'energy_import_active', 'energy_total_active'],
};

const points = (device: DeviceSpec): PointMeaning[] => device.template.points;

/** The numeric points of a device the report shows or checks against a limit, once each. */
export function statPoints(device: DeviceSpec): StatPoint[] {
  const rules = device.template.rules.filter((r) => r.kind === 'threshold');
  const inspected = new Set([...(INSPECTED[device.template.category] ?? []), ...rules.map((r) => r.field)]);
  // A meter without a total: its phases are summed in the model.
  if (device.template.category === 'power_meter' && !points(device).some((p) => p.field === 'power_active_total')) inspected.add('power_active');
  const seen = new Set<string>();
  const out: StatPoint[] = [];
  for (const point of points(device)) {
    if (!inspected.has(point.field) || point.states || point.unit === 'enum') continue;
    const key = `${point.measurement}|${point.field}|${JSON.stringify(point.tags)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const own = rules.filter((r) => r.field === point.field && r.measurement === point.measurement && Object.entries(r.tags ?? {}).every(([k, v]) => point.tags[k] === v));
    const limits = own.map((r) => r.params as Limits);
    const aboves = limits.flatMap((l) => (l.above === undefined ? [] : [l.above]));
    const belows = limits.flatMap((l) => (l.below === undefined ? [] : [l.below]));
    out.push({
      measurement: point.measurement,
      field: point.field,
      tags: point.tags,
      unit: point.unit,
      warn: { above: aboves.length ? Math.min(...aboves) : undefined, below: belows.length ? Math.max(...belows) : undefined },
      alarm: { above: aboves.length ? Math.max(...aboves) : undefined, below: belows.length ? Math.min(...belows) : undefined },
    });
  }
  return out;
}

export function statePoints(device: DeviceSpec): StatePoint[] {
  const rules = device.template.rules.filter((r) => r.kind === 'state');
  return points(device)
    .filter((p) => p.states)
    .map((p) => ({
      measurement: p.measurement,
      field: p.field,
      tags: p.tags,
      description: p.description,
      states: p.states!,
      alarming: rules.filter((r) => r.field === p.field).flatMap((r) => (r.params as { equals: number[] }).equals),
    }));
}

/** Tags of a stored row beyond where the device is (site, room, labels, names): sensor, phase, ... */
export function pointTags(row: Readonly<Record<string, unknown>>, device: DeviceSpec): Record<string, string> {
  const where = new Set([...Object.keys(device.tags), ...Object.values(NAME_TAGS), 'site', 'room', 'device', 'device_type']);
  return Object.fromEntries(Object.entries(row).filter(([k, v]) => typeof v === 'string' && v !== '' && !where.has(k) && !k.includes('__')) as Array<[string, string]>);
}

export const siteName = (setup: InspectionSetup, site: string): string => setup.sites.find((s) => s.id === site)?.name ?? site;
export const roomName = (setup: InspectionSetup, site: string, room: string): string =>
  setup.sites.find((s) => s.id === site)?.rooms.find((r) => r.id === room)?.name ?? room;
