import type { AlertingInput } from '../config/compile.js';

/** Names and units for messages: what a person reads instead of ids. */
export interface DeviceInfo {
  name: string;
  site: string;
  siteName: string;
  room: string;
  roomName: string;
  deviceType: string;
  /** Template category (ups, crac, power_meter, environment, leak). */
  category: string;
  /** The site's, room's and device's labels with its identity tags, as on its InfluxDB points. */
  labels: Readonly<Record<string, string>>;
  units: Record<string, string>;
}

export class Directory {
  readonly #devices = new Map<string, DeviceInfo>();

  constructor(config: Pick<AlertingInput, 'devices' | 'sites'>) {
    for (const device of config.devices) {
      const site = config.sites.find((s) => s.id === device.site);
      const room = site?.rooms.find((r) => r.id === device.room);
      const units: Record<string, string> = {};
      for (const point of device.template.points) if (point.unit) units[`${point.measurement}.${point.field}`] = point.unit;
      this.#devices.set(device.id, {
        name: device.name,
        site: device.site,
        siteName: site?.name ?? device.site,
        room: device.room,
        roomName: room?.name ?? device.room,
        deviceType: device.template.name,
        category: device.template.category,
        labels: device.tags,
        units,
      });
    }
  }

  get(device: string): DeviceInfo {
    return this.#devices.get(device) ?? { name: device, site: '-', siteName: '-', room: '-', roomName: '-', deviceType: '-', category: '-', labels: {}, units: {} };
  }
}
