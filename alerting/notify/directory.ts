import type { AlertingInput } from '../config/compile.js';
import type { StateName } from '../../common/contracts/device.js';
import type { AlertRule } from '../core/rule.js';
import { DeviceRuleBook } from '../rulebook.js';
import { SELF_DEVICE, SELF_RULES } from '../self/rules.js';

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
  /** Unit of each `measurement.field` the template reads. */
  units: Record<string, string>;
  /** Names of the raw values of each enumerated `measurement.field` ("3" → on battery / 电池供电). Optional: infos built by hand (tests) name none. */
  states?: Record<string, Readonly<Record<string, StateName>>>;
}

/** The names and rules the alerting config gives; `alerting` absent (tests), rules are not known. */
export type DirectoryInput = Pick<AlertingInput, 'devices' | 'sites'> & Partial<Pick<AlertingInput, 'alerting'>>;

/** A device's names and place as an alert keeps them, for when the configuration no longer has it. */
export type AlertPlace = Pick<DeviceInfo, 'name' | 'site' | 'siteName' | 'room' | 'roomName' | 'deviceType' | 'category'> & { labels: Record<string, string> };

export class Directory {
  readonly #devices = new Map<string, DeviceInfo>();
  readonly #rules = new Map<string, AlertRule>();
  /**
   * Base of the link in every message (alerting.link_url as the config loader resolved it). Kept
   * here, with the other things messages name, so every renderer finds it where it finds names.
   */
  readonly linkUrl: string | undefined;

  constructor(config: DirectoryInput) {
    this.linkUrl = config.alerting?.linkUrl;
    for (const device of config.devices) {
      const site = config.sites.find((s) => s.id === device.site);
      const room = site?.rooms.find((r) => r.id === device.room);
      const units: Record<string, string> = {};
      const states: Record<string, Record<string, StateName>> = {};
      for (const point of device.template.points) {
        const key = `${point.measurement}.${point.field}`;
        if (point.unit) units[key] = point.unit;
        // Points of one field differ by tags (per phase, per sensor), not by what their values mean.
        if (point.states) states[key] = { ...states[key], ...point.states };
      }
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
        states,
      });
    }
    if (config.alerting) {
      // The same rules the engine evaluates (template defaults with config overrides), so a
      // threshold reads as configured: messages describe a rule by its params, not the alert's text.
      const book = new DeviceRuleBook(config.devices, config.alerting);
      for (const device of config.devices) for (const rule of book.allFor(device.id)) this.#rules.set(`${device.id}|${rule.name}`, rule);
    }
    for (const rule of SELF_RULES) this.#rules.set(`${SELF_DEVICE}|${rule.name}`, rule);
  }

  /** Where a configured device is, as an alert keeps it (undefined for roomwatch and unknown ids). */
  placeOf(device: string): AlertPlace | undefined {
    const info = this.#devices.get(device);
    if (!info) return undefined;
    const { name, site, siteName, room, roomName, deviceType, category, labels } = info;
    return { name, site, siteName, room, roomName, deviceType, category, labels: { ...labels } };
  }

  /**
   * Names a device the configuration no longer has by where its alert says it was: a reload that
   * removed it still tells, routes and records the alert's end at the right place.
   */
  adopt(device: string, place: AlertPlace): void {
    if (!this.#devices.has(device)) this.#devices.set(device, { ...place, units: {}, states: {} });
  }

  get(device: string): DeviceInfo {
    return this.#devices.get(device) ?? { name: device, site: '-', siteName: '-', room: '-', roomName: '-', deviceType: '-', category: '-', labels: {}, units: {}, states: {} };
  }

  /** The rule an alert of this device was raised by, if the config still has it. */
  rule(device: string, name: string): AlertRule | undefined {
    return this.#rules.get(`${device}|${name}`);
  }
}
