import { api, ApiError } from './api.js';
import { h, show } from './dom.js';
import { safeNext } from './router.js';
import { t } from './i18n.js';
import { problem } from './widgets.js';

/** `/login?next=…`: the token becomes a session cookie (POST /api/session), then back to where the user was. */
export function loginPage(main: HTMLElement): void {
  const token = h('input', { name: 'token', type: 'password', autocomplete: 'current-password', required: true });
  const result = h('div', { class: 'result', role: 'status' });
  const form = h('form', { class: 'login' }, h('h1', {}, t('login.title')), h('label', {}, t('login.token'), token), h('button', { type: 'submit' }, t('login.submit')), result);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api('/api/session', { method: 'POST', body: { token: token.value.trim() } }).then(
      () => location.assign(safeNext(new URLSearchParams(location.search).get('next'))),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) result.textContent = t('login.failed');
        else result.replaceChildren(problem(t('login.title'), error));
      },
    );
  });
  show(main, form);
  token.focus();
}
