import { api } from './api.js';
import { h, show } from './dom.js';
import { formatDuration, formatTime } from './format.js';
import { ackForm } from './forms.js';
import { currentLanguage, t } from './i18n.js';
import type { Alert, Incident } from './types.js';
import { alertRow, facts, problem, section, severityBadge } from './widgets.js';

/** `/incidents/:id`: the incident, its alerts as they are now, and acknowledging it (and them). */
export async function incidentPage(main: HTMLElement, id: string): Promise<void> {
  let detail: { incident: Incident; alerts: Alert[] };
  try {
    detail = await api(`/api/incidents/${encodeURIComponent(id)}`);
  } catch (error) {
    return show(main, problem(t('incident'), error));
  }
  const { incident: i, alerts } = detail;
  const language = currentLanguage();
  const now = Date.now();
  show(
    main,
    h('h1', {}, severityBadge(i.severity), ' ', h('span', { class: 'tag' }, t('incident')), ' ', i.summary[language]),
    facts([
      [t('status'), h('span', { class: 'status', 'data-status': i.status }, t(`incident.${i.status}`))],
      [t('where'), [i.scope.site, i.scope.room, i.scope.device].filter(Boolean).join(' / ')],
      [t('since'), `${formatTime(i.openedAt)} (${formatDuration((i.resolvedAt ?? now) - i.openedAt)})`],
      [t('category'), i.category],
      [t('ackBy'), i.ack ? `${i.ack.by} · ${formatTime(i.ack.at)}` : undefined],
      [t('ackNote'), i.ack?.note],
    ]),
    i.advice?.[language].length ? section(t('advice'), h('ol', {}, ...i.advice[language].map((step) => h('li', {}, step)))) : null,
    section(`${t('members')} (${i.members.length})`, h('ul', { class: 'entries' }, ...alerts.map((a) => alertRow(a, now)))),
    !i.ack && i.status !== 'resolved' ? ackForm(`/api/incidents/${i.id}/ack`, () => void incidentPage(main, id)) : null,
  );
}
