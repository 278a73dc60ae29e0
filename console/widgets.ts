import { ApiError } from './api.js';
import { h, type Child } from './dom.js';
import { formatDuration, formatTime, severityName, thresholdText, valueText } from './format.js';
import { currentLanguage, phrase, t } from './i18n.js';
import type { Alert, Severity } from './types.js';

export function severityBadge(severity: Severity): HTMLElement {
  return h('span', { class: `sev sev-${severity}` }, severityName(severity));
}

/** What is special about the alert now: flapping, silenced, latched, cleared. */
export function marks(alert: Alert): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (alert.flapping) out.push(h('span', { class: 'mark mark-flapping' }, t('flapping')));
  if (alert.muted) out.push(h('span', { class: 'mark mark-silenced', title: alert.muted }, t('silenced')));
  if (alert.latchedAt !== undefined) out.push(h('span', { class: 'mark mark-latched' }, t('latched')));
  else if (alert.condition === 'cleared') out.push(h('span', { class: 'mark' }, t('cleared')));
  return out;
}

export function placeText(alert: Alert): string {
  const p = alert.place;
  const labels = Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  const where = p ? `${p.siteName} / ${p.roomName} / ${p.name}` : alert.device;
  return labels ? `${where} (${labels})` : where;
}

/** "电池供电 (= 电池供电)" or "33.1 °C (> 30 °C)": the value as people read it, with its condition unless a state says it. */
export function valueLine(alert: Alert): string {
  const value = valueText(alert);
  const threshold = thresholdText(alert);
  return threshold ? `${value} (${threshold})` : value;
}

export function ackLine(alert: { ack?: { by: string; at: number; note?: string } }): HTMLElement | undefined {
  if (!alert.ack) return undefined;
  return h('div', { class: 'ack' }, phrase('acknowledgedBy')(alert.ack.by, formatTime(alert.ack.at)), alert.ack.note ? h('q', {}, alert.ack.note) : null);
}

/** One alert as a line of a list: severity, what, where, value, age, marks, who acknowledged. */
export function alertRow(alert: Alert, now: number, options: { fresh?: boolean } = {}): HTMLElement {
  return h(
    'li',
    { class: `alert sev-line-${alert.severity}${options.fresh ? ' fresh' : ''}`, 'data-alert': alert.id },
    h('div', { class: 'line1' }, severityBadge(alert.severity), ' ', h('a', { href: `/alerts/${alert.id}` }, alert.place?.name ?? alert.device, ' ', alert.summary[currentLanguage()]), ' ', ...marks(alert)),
    h('div', { class: 'line2' }, h('span', { class: 'value' }, valueLine(alert)), ' · ', h('span', { class: 'status' }, t(`status.${alert.status}`)), ' · ', h('span', { class: 'age', title: formatTime(alert.firingSince) }, formatDuration(now - alert.firingSince))),
    ackLine(alert),
  );
}

/** A clear sentence for what could not be loaded: missing on this daemon, not found, or failed. */
export function problem(what: string, error: unknown): HTMLElement {
  // A daemon older than the page (no such route): say so plainly; the server's words stay in the tooltip.
  if (error instanceof ApiError && error.status === 404 && /^no route/.test(error.message)) {
    return h('p', { class: 'problem', title: error.message }, phrase('unavailable')(what, t('noRoute')));
  }
  if (error instanceof ApiError && error.status === 404) return h('p', { class: 'problem' }, `${what}: ${t('notFound')}`);
  if (error instanceof ApiError && error.status === 503) return h('p', { class: 'problem' }, phrase('unavailable')(what, error.message));
  return h('p', { class: 'problem' }, `${what}: ${phrase('failed')(error instanceof Error ? error.message : String(error))}`);
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', {}, h('h2', {}, title), ...children);
}

/** A definition list from label/value pairs, leaving out the empty ones. */
export function facts(pairs: Array<[string, Child]>): HTMLElement {
  const list = h('dl', { class: 'facts' });
  for (const [label, value] of pairs) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    list.append(h('dt', {}, label), h('dd', {}, value));
  }
  return list;
}
