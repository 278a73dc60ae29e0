import { api } from './api.js';
import { h } from './dom.js';
import { formatTime } from './format.js';
import { phrase, t } from './i18n.js';
import { defaultName, rememberName } from './identity.js';
import { problem } from './widgets.js';

/**
 * A form that posts to the API: its fields with their labels, a submit button, and a line that
 * says how it went. `send` makes the call; what it resolves to is shown, a failure explained.
 */
function postingForm(className: string, title: string, fields: Array<[string, HTMLElement]>, submit: string, send: () => Promise<string>): HTMLFormElement {
  const result = h('div', { class: 'result', role: 'status' });
  const form = h('form', { class: className }, h('h3', {}, title), ...fields.map(([label, field]) => h('label', {}, label, field)), h('button', { type: 'submit' }, submit), result);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send().then(
      (text) => (result.textContent = text),
      (error: unknown) => result.replaceChildren(problem(title, error)),
    );
  });
  return form;
}

/**
 * Acknowledge with a note: POST `path` ({by?, note?}). The name is sent only when typed: with a
 * session the daemon records the logged-in name itself.
 */
export function ackForm(path: string, done: () => void): HTMLElement {
  const by = h('input', { name: 'by', autocomplete: 'name', maxlength: 100 });
  const note = h('textarea', { name: 'note', rows: 2, maxlength: 2000 });
  void defaultName().then((name) => (by.value ||= name));
  return postingForm('ack-form', t('ack.title'), [[t('ack.by'), by], [t('ack.note'), note]], t('ack.submit'), async () => {
    const body: Record<string, string> = {};
    if (by.value.trim()) body.by = by.value.trim();
    if (note.value.trim()) body.note = note.value.trim();
    rememberName(body.by ?? '');
    await api(path, { method: 'POST', body });
    done();
    return t('ack.done');
  });
}

const PERIODS_H = [1, 4, 8, 24, 72];

/**
 * Silence a device, or one rule on it, for a while with a reason (POST /api/silences). The page
 * stays as it is and says until when: the silence is listed on /silences.
 */
export function silenceForm(device: string, rule: string): HTMLElement {
  const scope = h('select', { name: 'scope' }, h('option', { value: 'device' }, t('silence.device')), h('option', { value: 'rule' }, t('silence.rule')));
  const period = h('select', { name: 'hours' }, ...PERIODS_H.map((n) => h('option', { value: n }, phrase('hours')(n))));
  const reason = h('input', { name: 'reason', required: true, maxlength: 2000 });
  const author = h('input', { name: 'author', required: true, autocomplete: 'name', maxlength: 100 });
  void defaultName().then((name) => (author.value ||= name));
  const fields: Array<[string, HTMLElement]> = [[t('silence.matchers'), scope], [t('silence.for'), period], [t('silence.reason'), reason], [t('silence.author'), author]];
  return postingForm('silence-form', t('silence.title'), fields, t('silence.submit'), async () => {
    const matchers: Record<string, string> = scope.value === 'rule' ? { device, rule } : { device };
    const ends = new Date(Date.now() + Number(period.value) * 3_600_000).toISOString();
    rememberName(author.value.trim());
    const silence = await api<{ endsAt: number }>('/api/silences', { method: 'POST', body: { matchers, ends, author: author.value.trim(), reason: reason.value.trim() } });
    reason.value = '';
    return `${t('silence.done')} ${formatTime(silence.endsAt)}`;
  });
}
