import { api } from './api.js';
import { h, show } from './dom.js';
import { formatTime } from './format.js';
import { t } from './i18n.js';
import type { Silence } from './types.js';
import { problem } from './widgets.js';

/** `/silences`: the silences in force, each with who made it and why, and a button to end it now. */
export async function silencesPage(main: HTMLElement): Promise<void> {
  let silences: Silence[];
  try {
    silences = await api<Silence[]>('/api/silences');
  } catch (error) {
    return show(main, problem(t('silence.list'), error));
  }
  const rows = silences.map((s) => {
    const result = h('td', { class: 'result' });
    const expire = h('button', { type: 'button' }, t('silence.expire'));
    expire.addEventListener('click', () => {
      api(`/api/silences/${encodeURIComponent(s.id)}`, { method: 'DELETE' }).then(
        () => void silencesPage(main),
        (error: unknown) => result.replaceChildren(problem(t('silence.expire'), error)),
      );
    });
    const matchers = Object.entries(s.matchers).map(([k, v]) => `${k}=${v}`).join(', ');
    return h('tr', { 'data-silence': s.id }, h('td', {}, matchers), h('td', {}, formatTime(s.endsAt)), h('td', {}, s.author), h('td', {}, s.reason), h('td', {}, expire), result);
  });
  show(
    main,
    h('h1', {}, t('silence.list')),
    silences.length
      ? h('table', {}, h('thead', {}, h('tr', {}, ...[t('silence.matchers'), t('silence.until'), t('silence.author'), t('silence.reason'), '', ''].map((c) => h('th', {}, c)))), h('tbody', {}, ...rows))
      : h('p', { class: 'empty' }, t('silence.none')),
  );
}
