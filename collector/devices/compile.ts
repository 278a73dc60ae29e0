import type { DeviceSpec, DeviceTemplate } from '../../common/contracts/device.js';
import { duplicates, type Located } from '../../common/config/duplicates.js';
import type { Env } from '../../common/config/secret.js';
import { parseDuration } from '../../common/config/units.js';
import type { ConfigIssue } from '../../common/config/yaml-source.js';
import { DRIVERS, driverFor } from '../drivers/registry.js';
import type { DeviceInput } from './schema.js';

/**
 * Where devices go and how often they are polled by default: the parts of the main config that
 * device compilation reads (the loaded main file satisfies it as it is).
 */
export interface DevicePlacement {
  sites: readonly SiteInput[];
  collector: { default_interval: string };
}

export interface SiteInput {
  id: string;
  labels?: Readonly<Record<string, string>>;
  rooms: readonly { id: string; labels?: Readonly<Record<string, string>> }[];
}

/** What each driver compiled from its collections (Modbus: bus id to line), by driver id. */
export type DriverShared = ReadonlyMap<string, unknown>;

/** Compiles every driver's top-level lists once per config, before the devices that refer to them. */
export function compileDriverCollections(collections: Readonly<Record<string, readonly Located<unknown>[]>>, issues: ConfigIssue[]): DriverShared {
  const shared = new Map<string, unknown>();
  for (const driver of DRIVERS) {
    if (driver.compileShared) shared.set(driver.id, driver.compileShared(collections, issues));
  }
  return shared;
}

export function compileDevices(
  devices: Located<DeviceInput>[],
  raw: DevicePlacement,
  templates: Map<string, DeviceTemplate>,
  shared: DriverShared,
  issues: ConfigIssue[],
  env: Env,
): DeviceSpec[] {
  issues.push(...duplicates(devices, 'device'));
  const defaultInterval = parseDuration(raw.collector.default_interval);
  const specs: DeviceSpec[] = [];
  for (const { value: device, source, path } of devices) {
    const before = issues.length;
    const site = raw.sites.find((s) => s.id === device.site);
    const room = site?.rooms.find((r) => r.id === device.room);
    if (!site) issues.push(source.issueAt([...path, 'site'], `unknown site "${device.site}"; sites are: ${raw.sites.map((s) => s.id).join(', ') || '(none defined)'}`));
    else if (!room) issues.push(source.issueAt([...path, 'room'], `site "${site.id}" has no room "${device.room}"; its rooms are: ${site.rooms.map((r) => r.id).join(', ')}`));
    const template = templates.get(device.template);
    if (!template) {
      issues.push(source.issueAt([...path, 'template'], `unknown template "${device.template}"; known templates: ${[...templates.keys()].sort().join(', ')}`));
    }
    const driver = template && driverFor(template.driver);
    let target: unknown;
    if (template && driver) {
      const section = device[driver.id];
      if (section === undefined) issues.push(source.issueAt(path, `template "${template.name}" uses ${driver.title}: the device needs ${driver.article} "${driver.id}" section`));
      else target = driver.compileTarget(section, { source, path: [...path, driver.id], issues, env, shared: shared.get(driver.id) });
      for (const other of DRIVERS) {
        if (other !== driver && device[other.id] !== undefined) {
          issues.push(source.issueAt([...path, other.id], `template "${template.name}" uses ${driver.title}; remove the "${other.id}" section`, true));
        }
      }
    }
    if (issues.length > before || !template || !site || !room || !device.enabled) continue;
    specs.push({
      id: device.id,
      name: device.name ?? device.id,
      site: site.id,
      room: room.id,
      template,
      intervalMs: device.interval ? parseDuration(device.interval) : defaultInterval,
      tags: { ...site.labels, ...room.labels, ...device.labels, site: site.id, room: room.id, device: device.id, device_type: template.name },
      // Every driver's key, set only for the template's driver: generic code reads spec[template.driver].
      ...Object.fromEntries(DRIVERS.map((d) => [d.id, d === driver ? target : undefined])),
    });
  }
  return specs;
}
