import { h, show } from './dom.js';
import { formatDuration, formatTime } from './format.js';
import { groupByRoom, type Entry } from './grouping.js';
import { currentLanguage, t } from './i18n.js';
import { followStream, type LiveState } from './live.js';
import { chime } from './sound.js';
import type { Alert } from './types.js';
import { ackLine, alertRow, severityBadge } from './widgets.js';

/** How long a new critical alert stays highlighted. */
const FRESH_MS = 5 * 60_000;

/**
 * `/`: the active alerts and incidents by site and room, kept current by the live stream. A
 * critical alert that appears while the page is open is highlighted (and chimes, if sound is on).
 */
export function overviewPage(main: HTMLElement): () => void {
  const status = h('p', { class: 'live', role: 'status' }, t('loading'));
  const board = h('div', { class: 'board' });
  show(main, status, board);
  const freshUntil = new Map<string, number>();
  let last: LiveState | undefined;
  const render = () => {
    if (!last) return;
    const now = Date.now();
    const groups = groupByRoom([...last.alerts.values()], [...last.incidents.values()]);
    if (!groups.length) return show(board, h('p', { class: 'empty' }, t('nothing')));
    const isFresh = (a: Alert) => (freshUntil.get(a.id) ?? 0) > now;
    show(
      board,
      ...groups.map((group) =>
        h(
          'section',
          { class: `room sev-edge-${group.worst}` },
          h('h2', {}, group.room === undefined ? group.siteName : h('a', { href: `/rooms/${encodeURIComponent(group.site)}/${encodeURIComponent(group.room)}` }, `${group.siteName} / ${group.roomName ?? group.room}`)),
          h('ul', { class: 'entries' }, ...group.entries.map((entry) => entryView(entry, now, isFresh))),
        ),
      ),
    );
  };
  const stop = followStream({
    changed: (state, fresh) => {
      last = state;
      const critical = fresh.filter((a) => a.severity === 'critical');
      for (const a of critical) freshUntil.set(a.id, Date.now() + FRESH_MS);
      if (critical.length) {
        chime();
        document.title = `(${critical.length}) ${t('newCritical')} · ${t('title')}`;
      }
      render();
    },
    connection: (up) => {
      status.textContent = up ? `● ${t('live')} · ${t('timeZone')} ${Intl.DateTimeFormat().resolvedOptions().timeZone}` : t('offline');
      status.classList.toggle('down', !up);
    },
  });
  // Ages move on without events.
  const ticker = setInterval(render, 30_000);
  return () => {
    stop();
    clearInterval(ticker);
  };
}

function entryView(entry: Entry, now: number, isFresh: (a: Alert) => boolean): HTMLElement {
  if (entry.kind === 'alert') return alertRow(entry.alert, now, { fresh: isFresh(entry.alert) });
  const i = entry.incident;
  return h(
    'li',
    { class: `incident sev-line-${i.severity}${entry.alerts.some(isFresh) ? ' fresh' : ''}`, 'data-incident': i.id },
    h('div', { class: 'line1' }, severityBadge(i.severity), ' ', h('span', { class: 'tag' }, t('incident')), ' ', h('a', { href: `/incidents/${i.id}` }, i.summary[currentLanguage()])),
    h('div', { class: 'line2' }, t(`incident.${i.status}`), ' · ', h('span', { class: 'age', title: formatTime(i.openedAt) }, formatDuration(now - i.openedAt)), ` · ${t('alerts')} ${i.members.length}`),
    ackLine(i),
    entry.alerts.length ? h('ul', { class: 'members' }, ...entry.alerts.map((a) => alertRow(a, now, { fresh: isFresh(a) }))) : null,
  );
}
