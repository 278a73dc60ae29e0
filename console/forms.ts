import { api } from './api.js';
import { h } from './dom.js';
import { formatTime } from './format.js';
import { phrase, t } from './i18n.js';
import { defaultName, rememberName } from './identity.js';
import { problem } from './widgets.js';

/**
 * Acknowledge with a note: POST `path` ({by?, note?}). The name is sent only when typed: with a
 * session the daemon records the logged-in name itself.
 */
export function ackForm(path: string, done: () => void): HTMLElement {
  const by = h('input', { name: 'by', autocomplete: 'name', maxlength: 100 });
  const note = h('textarea', { name: 'note', rows: 2, maxlength: 2000 });
  const result = h('div', { class: 'result', role: 'status' });
  const form = h(
    'form',
    { class: 'ack-form' },
    h('h3', {}, t('ack.title')),
    h('label', {}, t('ack.by'), by),
    h('label', {}, t('ack.note'), note),
    h('button', { type: 'submit' }, t('ack.submit')),
    result,
  );
  void defaultName().then((name) => (by.value ||= name));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body: Record<string, string> = {};
    if (by.value.trim()) body.by = by.value.trim();
    if (note.value.trim()) body.note = note.value.trim();
    rememberName(body.by ?? '');
    api(path, { method: 'POST', body }).then(
      () => {
        result.textContent = t('ack.done');
        done();
      },
      (error: unknown) => result.replaceChildren(problem(t('ack.title'), error)),
    );
  });
  return form;
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
  const result = h('div', { class: 'result', role: 'status' });
  const form = h(
    'form',
    { class: 'silence-form' },
    h('h3', {}, t('silence.title')),
    h('label', {}, t('silence.matchers'), scope),
    h('label', {}, t('silence.for'), period),
    h('label', {}, t('silence.reason'), reason),
    h('label', {}, t('silence.author'), author),
    h('button', { type: 'submit' }, t('silence.submit')),
    result,
  );
  void defaultName().then((name) => (author.value ||= name));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const matchers: Record<string, string> = scope.value === 'rule' ? { device, rule } : { device };
    const ends = new Date(Date.now() + Number(period.value) * 3_600_000).toISOString();
    rememberName(author.value.trim());
    api<{ endsAt: number }>('/api/silences', { method: 'POST', body: { matchers, ends, author: author.value.trim(), reason: reason.value.trim() } }).then(
      (silence) => {
        result.textContent = `${t('silence.done')} ${formatTime(silence.endsAt)}`;
        reason.value = '';
      },
      (error: unknown) => result.replaceChildren(problem(t('silence.title'), error)),
    );
  });
  return form;
}
