import { h, show } from './dom.js';
import { currentLanguage, setLanguage, t } from './i18n.js';
import { alertPage } from './page-alert.js';
import { devicePage, roomPage } from './page-devices.js';
import { historyPage } from './page-history.js';
import { incidentPage } from './page-incident.js';
import { loginPage } from './page-login.js';
import { overviewPage } from './page-overview.js';
import { silencesPage } from './page-silences.js';
import { route } from './router.js';
import { setSound, soundOn } from './sound.js';

function header(): HTMLElement {
  const language = h('button', { type: 'button', class: 'lang', lang: currentLanguage() === 'zh-CN' ? 'en' : 'zh-CN' }, t('lang.toggle'));
  language.addEventListener('click', () => {
    setLanguage(currentLanguage() === 'zh-CN' ? 'en' : 'zh-CN');
    location.reload();
  });
  const sound = h('button', { type: 'button', class: 'sound', 'aria-pressed': String(soundOn()) }, soundOn() ? t('sound.on') : t('sound.off'));
  sound.addEventListener('click', () => {
    setSound(!soundOn());
    sound.textContent = soundOn() ? t('sound.on') : t('sound.off');
    sound.setAttribute('aria-pressed', String(soundOn()));
  });
  return h(
    'header',
    {},
    h('a', { class: 'brand', href: '/' }, 'roomwatch'),
    h('nav', {}, h('a', { href: '/' }, t('nav.overview')), h('a', { href: '/history' }, t('nav.history')), h('a', { href: '/silences' }, t('nav.silences'))),
    h('div', { class: 'tools' }, sound, language),
  );
}

function start(): void {
  document.documentElement.lang = currentLanguage();
  document.title = t('title');
  const main = h('main', {});
  show(document.body, header(), main);
  const where = route(location.pathname);
  switch (where.page) {
    case 'overview':
      overviewPage(main);
      return;
    case 'alert':
      void alertPage(main, where.id);
      return;
    case 'incident':
      void incidentPage(main, where.id);
      return;
    case 'room':
      void roomPage(main, where.site, where.room);
      return;
    case 'device':
      void devicePage(main, where.id);
      return;
    case 'history':
      void historyPage(main);
      return;
    case 'silences':
      void silencesPage(main);
      return;
    case 'login':
      loginPage(main);
      return;
    case 'unknown':
      show(main, h('p', { class: 'problem' }, t('notFound')));
  }
}

start();
