import { NAME_TAGS } from '../../common/contracts/stored.js';

/** The parts of the configuration that name things: sites with their rooms, and devices. */
export interface NamedPlaces {
  sites: readonly { id: string; name?: string; rooms: readonly { id: string; name?: string }[] }[];
  devices: readonly { id: string; name: string }[];
}

/**
 * Display names by id, as the configuration gives them (the id where it gives none). Rooms are
 * keyed `site/room`: two sites may both have a `room-1`.
 */
export interface DisplayNames {
  sites: ReadonlyMap<string, string>;
  rooms: ReadonlyMap<string, string>;
  devices: ReadonlyMap<string, string>;
}

export function displayNames(config: NamedPlaces): DisplayNames {
  const sites = new Map<string, string>();
  const rooms = new Map<string, string>();
  for (const site of config.sites) {
    sites.set(site.id, site.name ?? site.id);
    for (const room of site.rooms) rooms.set(`${site.id}/${room.id}`, room.name ?? room.id);
  }
  return { sites, rooms, devices: new Map(config.devices.map((d) => [d.id, d.name])) };
}

/**
 * Adds `site_name`, `room_name`, `device_name` to `tags` for the ids they carry. The configured
 * name wins over a tag of the same key (a label cannot pretend to be the display name); an id the
 * configuration does not know adds nothing.
 */
export function addNameTags(tags: Record<string, string>, names: DisplayNames): void {
  const { site, room, device } = tags;
  const siteName = site === undefined ? undefined : names.sites.get(site);
  if (siteName !== undefined) tags[NAME_TAGS.site] = siteName;
  const roomName = site === undefined || room === undefined ? undefined : names.rooms.get(`${site}/${room}`);
  if (roomName !== undefined) tags[NAME_TAGS.room] = roomName;
  const deviceName = device === undefined ? undefined : names.devices.get(device);
  if (deviceName !== undefined) tags[NAME_TAGS.device] = deviceName;
}
