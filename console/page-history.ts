import { api, query } from './api.js';
import { h, show } from './dom.js';
import { formatTime } from './format.js';
import { t } from './i18n.js';
import { SEVERITIES, type HistoryRow, type Severity } from './types.js';
import { problem, severityBadge } from './widgets.js';

const FILTERS = ['site', 'room', 'device', 'category', 'severity', 'from', 'to'] as const;
const CATEGORIES = ['power', 'cooling', 'environment', 'communication', 'roomwatch'];

/**
 * `/history`: alert events from InfluxDB, newest first, filtered by site, room, device, category,
 * severity and time range. The filters live in the page's address, so a filtered view can be sent on.
 */
export async function historyPage(main: HTMLElement): Promise<void> {
  const params = new URLSearchParams(location.search);
  const input = (name: string, type = 'text') => h('input', { name, type, value: params.get(name) ?? '' });
  const select = (name: string, values: readonly string[], label: (v: string) => string) =>
    h('select', { name }, h('option', { value: '' }, t('all')), ...values.map((v) => h('option', { value: v, selected: params.get(name) === v }, label(v))));
  const form = h(
    'form',
    { class: 'filters', method: 'get', action: '/history' },
    h('label', {}, t('history.site'), input('site')),
    h('label', {}, t('history.room'), input('room')),
    h('label', {}, t('device'), input('device')),
    h('label', {}, t('category'), select('category', CATEGORIES, (v) => v)),
    h('label', {}, t('severity'), select('severity', SEVERITIES, (v) => t(`severity.${v}`))),
    h('label', {}, t('history.from'), input('from', 'datetime-local')),
    h('label', {}, t('history.to'), input('to', 'datetime-local')),
    h('button', { type: 'submit' }, t('history.filter')),
  );
  const results = h('div', { class: 'history' }, t('loading'));
  show(main, h('h1', {}, t('history.title')), form, results);
  // datetime-local is the browser's local time; the API takes instants.
  const instant = (v: string | null) => (v ? new Date(v).toISOString() : undefined);
  const asked: Record<string, string | undefined> = {};
  for (const name of FILTERS) asked[name] = name === 'from' || name === 'to' ? instant(params.get(name)) : (params.get(name) ?? undefined);
  try {
    const rows = await api<HistoryRow[]>(`/api/history${query({ ...asked, limit: 500 })}`);
    if (!rows.length) return show(results, h('p', { class: 'empty' }, t('history.none')));
    show(
      results,
      h(
        'table',
        { class: 'history-table' },
        h('thead', {}, h('tr', {}, ...[t('time'), t('severity'), t('event'), t('where'), t('rule'), t('ackBy')].map((c) => h('th', {}, c)))),
        h('tbody', {}, ...rows.map(rowView)),
      ),
    );
  } catch (error) {
    show(results, problem(t('history.title'), error));
  }
}

function rowView(row: HistoryRow): HTMLElement {
  const text = (key: string) => (row[key] === undefined || row[key] === null ? '' : String(row[key]));
  const severity = text('severity');
  const where = [text('site_name') || text('site'), text('room_name') || text('room'), text('device_name') || text('device')].filter(Boolean).join(' / ');
  const id = text('alert_id');
  return h(
    'tr',
    { 'data-alert': id, 'data-event': text('event') },
    h('td', {}, formatTime(row.time)),
    h('td', {}, (SEVERITIES as readonly string[]).includes(severity) ? severityBadge(severity as Severity) : severity),
    h('td', {}, t(`event.${text('event')}`)),
    h('td', {}, where),
    h('td', {}, id && text('fault') !== 'incident' ? h('a', { href: `/alerts/${id}` }, text('rule')) : text('rule')),
    h('td', { class: 'ack-by' }, text('ack_by')),
  );
}
