import { api, query } from './api.js';
import { h, show } from './dom.js';
import { formatNumber, formatTime } from './format.js';
import { t } from './i18n.js';
import { seriesView } from './page-alert.js';
import type { DeviceStatus, Reading, Series } from './types.js';
import { facts, problem } from './widgets.js';

/** Trends drawn per device card: the first numeric readings (a UPS has dozens; the card stays readable). */
const TRENDS_PER_CARD = 4;

/** `/rooms/:site/:room`: the room's devices, how their polling goes, their latest readings and 24 h trends. */
export async function roomPage(main: HTMLElement, site: string, room: string): Promise<void> {
  let devices: DeviceStatus[];
  try {
    devices = await api<DeviceStatus[]>(`/api/devices${query({ site, room })}`);
  } catch (error) {
    return show(main, problem(t('room.devices'), error));
  }
  const first = devices[0];
  show(main, h('h1', {}, first ? `${first.siteName} / ${first.roomName}` : `${site} / ${room}`), h('div', { class: 'devices' }, ...devices.map((d) => deviceCard(d, TRENDS_PER_CARD))));
}

/** `/devices/:id`: one device with a trend for every numeric reading. */
export async function devicePage(main: HTMLElement, id: string): Promise<void> {
  try {
    const device = await api<DeviceStatus>(`/api/devices/${encodeURIComponent(id)}`);
    show(main, h('p', {}, h('a', { href: `/rooms/${encodeURIComponent(device.site)}/${encodeURIComponent(device.room)}` }, `${device.siteName} / ${device.roomName}`)), deviceCard(device, Infinity));
  } catch (error) {
    show(main, problem(t('device'), error));
  }
}

function deviceCard(device: DeviceStatus, trends: number): HTMLElement {
  const trendBox = h('div', { class: 'trends' });
  const card = h(
    'article',
    { class: `device device-${device.status}`, 'data-device': device.id },
    h('h2', {}, h('a', { href: `/devices/${encodeURIComponent(device.id)}` }, device.name), ' ', h('span', { class: `dev-status dev-${device.status}` }, t(`device.status.${device.status}`))),
    facts([
      [t('lastPoll'), device.lastPollAt === undefined ? undefined : formatTime(device.lastPollAt)],
      [t('lastError'), device.lastError],
    ]),
    h('table', { class: 'readings' }, h('tbody', {}, ...device.readings.map(readingRow))),
    trendBox,
  );
  const numeric = device.readings.filter((r) => typeof r.value === 'number').slice(0, trends);
  const seen = new Set<string>();
  for (const r of numeric) {
    const key = `${r.measurement}.${r.field}`;
    if (seen.has(key)) continue;
    seen.add(key);
    void api<{ series: Series[] }>(`/api/devices/${encodeURIComponent(device.id)}/trend${query({ measurement: r.measurement, field: r.field, hours: 24 })}`).then(
      ({ series }) => trendBox.append(...series.map((s) => seriesView(s))),
      (error: unknown) => {
        // One explanation per card is enough when the history store is away.
        if (!trendBox.querySelector('.problem')) trendBox.append(problem(t('trend'), error));
      },
    );
  }
  return card;
}

function readingRow(r: Reading): HTMLElement {
  const tags = r.tags ? Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(', ') : '';
  return h('tr', {}, h('th', {}, r.field, tags ? ` (${tags})` : ''), h('td', {}, formatNumber(r.value, r.unit)), h('td', { class: 'at' }, formatTime(r.at)));
}
