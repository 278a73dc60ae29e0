import type { NotifyEvent } from '../../incidents/incident.js';
import type { Severity } from '../../core/rule.js';
import { describeEvent, groupTitle, isRecovery, plainText, severityOf, type RenderContext } from '../render-common.js';

// Card header colours (Feishu's template names): the worst severity still firing sets the colour.
const HEADER_COLOUR: Record<Severity, string> = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'blue' };
const RANK: readonly Severity[] = ['critical', 'major', 'minor', 'warning'];

/**
 * An interactive card: a coloured header with the group's title (its incident's, or the first
 * event's and how many more), then one block per event with the same lines the other notifiers send.
 */
export function renderFeishuCard(events: readonly NotifyEvent[], context: RenderContext): unknown {
  const texts = events.map((e) => describeEvent(e, context));
  const title = groupTitle(events, texts, context);
  const firing = events.filter((e) => !isRecovery(e)).map(severityOf);
  const worst = RANK.find((s) => firing.includes(s));
  const elements: unknown[] = [];
  texts.forEach((t, i) => {
    if (i > 0) elements.push({ tag: 'hr' });
    // plain_text, not lark_md: names, labels and values come from config files and devices, and
    // none of them may restyle the card or inject a link.
    elements.push({ tag: 'div', text: { tag: 'plain_text', content: plainText({ ...t, note: undefined }, '') } });
    if (t.note) elements.push({ tag: 'note', elements: [{ tag: 'plain_text', content: t.note }] });
  });
  return {
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: { template: worst ? HEADER_COLOUR[worst] : 'green', title: { tag: 'plain_text', content: title } },
      elements,
    },
  };
}
