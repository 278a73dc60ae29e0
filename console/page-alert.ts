import { api, query } from './api.js';
import { h, show } from './dom.js';
import { formatDuration, formatNumber, formatTime } from './format.js';
import { ackForm, silenceForm } from './forms.js';
import { currentLanguage, t } from './i18n.js';
import { sparkline } from './trend.js';
import type { Alert, AlertReadings, Series, TimelineEntry } from './types.js';
import { facts, marks, placeText, problem, section, severityBadge, valueLine } from './widgets.js';

/** `/alerts/:id`: one alert, the readings around it, its timeline, and what can be done about it. */
export async function alertPage(main: HTMLElement, id: string): Promise<void> {
  let alert: Alert;
  try {
    alert = await api<Alert>(`/api/alerts/${encodeURIComponent(id)}`);
  } catch (error) {
    return show(main, problem(t('alerts'), error));
  }
  const language = currentLanguage();
  const readings = h('div', { class: 'readings' }, t('loading'));
  const timeline = h('div', { class: 'timeline' }, t('loading'));
  const reload = () => void alertPage(main, id);
  show(
    main,
    h('h1', {}, severityBadge(alert.severity), ' ', alert.place?.name ?? alert.device, ' ', alert.summary[language], ' ', ...marks(alert)),
    facts([
      [t('status'), h('span', { class: 'status', 'data-status': alert.status }, t(`status.${alert.status}`))],
      [t('where'), placeText(alert)],
      [alert.display?.[language].state ? t('state') : t('value'), valueLine(alert)],
      [t('since'), `${formatTime(alert.firingSince)} (${formatDuration((alert.resolvedAt ?? Date.now()) - alert.firingSince)})`],
      [t('rule'), alert.rule],
      [t('ackBy'), alert.ack ? h('span', { class: 'ack-by' }, `${alert.ack.by} · ${formatTime(alert.ack.at)}`) : undefined],
      [t('ackNote'), alert.ack?.note ? h('span', { class: 'ack-note' }, alert.ack.note) : undefined],
      [t('incident'), alert.incidentId ? h('a', { href: `/incidents/${alert.incidentId}` }, t('openIncident')) : undefined],
      [t('context'), alert.context?.length ? alert.context.map((r) => `${r.field} ${formatNumber(r.value, r.unit)}`).join(', ') : undefined],
    ]),
    alert.advice?.[language].length ? section(t('advice'), h('ol', {}, ...alert.advice[language].map((step) => h('li', {}, step)))) : null,
    alert.notes.length ? section(t('notes'), h('ul', {}, ...alert.notes.map((n) => h('li', {}, `${formatTime(n.at)} ${n.by}: `, n.text)))) : null,
    alert.status === 'firing' ? ackForm(`/api/alerts/${alert.id}/ack`, reload) : null,
    alert.status !== 'resolved' ? silenceForm(alert.device, alert.rule) : null,
    section(t('readings'), readings),
    section(t('timeline'), timeline),
  );
  void api<AlertReadings>(`/api/alerts/${alert.id}/readings${query({ minutes: 60 })}`).then(
    ({ series, context }) => show(readings, ...[...series, ...context].map((s) => seriesView(s, alert.firingSince))),
    (error: unknown) => show(readings, problem(t('readings'), error)),
  );
  void api<TimelineEntry[]>(`/api/alerts/${alert.id}/timeline`).then(
    (entries) => show(timeline, timelineView(entries)),
    (error: unknown) => show(timeline, problem(t('timeline'), error)),
  );
}

export function seriesView(series: Series, mark?: number): HTMLElement {
  const tags = series.tags ? Object.entries(series.tags).map(([k, v]) => `${k}=${v}`).join(', ') : '';
  const last = [...series.points].reverse().find((p) => p[1] !== null);
  const label = `${series.field}${tags ? ` (${tags})` : ''}`;
  return h(
    'figure',
    { class: 'series' },
    sparkline(series.points, { label, mark }),
    h('figcaption', {}, label, last ? ` · ${formatNumber(last[1], series.unit)}` : ` · ${t('noTrend')}`),
  );
}

export function timelineView(entries: TimelineEntry[]): HTMLElement {
  return h(
    'ol',
    { class: 'events' },
    ...entries.map((e) => h('li', {}, h('time', {}, formatTime(e.at)), ' ', h('b', {}, t(`event.${e.event}`)), e.by ? ` · ${e.by}` : '', e.receiver ? ` → ${e.receiver}` : '', e.text ? h('q', {}, e.text) : null)),
  );
}
