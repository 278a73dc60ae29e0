import type { NotifyEvent } from '../../incidents/incident.js';
import type { Severity } from '../../core/rule.js';
import { describeEvent, isRecovery, placeOf, severityOf, WORDS, type RenderContext } from '../render-common.js';

// Card header colours (Feishu's template names): the worst severity still firing sets the colour.
const HEADER_COLOUR: Record<Severity, string> = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'blue' };
const RANK: readonly Severity[] = ['critical', 'major', 'minor', 'warning'];

/**
 * An interactive card: a coloured header with the first event's title (and how many more), then one
 * block per event with the same lines the other notifiers send.
 */
export function renderFeishuCard(events: readonly NotifyEvent[], context: RenderContext): unknown {
  const w = WORDS[context.language];
  const texts = events.map((e) => describeEvent(e, context));
  const first = texts[0]!;
  const info = placeOf(events[0]!, context);
  const title = events.length === 1 ? first.title : `${first.title} (+${w.more(events.length - 1)}) — ${w.summary(events.length, `${info.siteName}/${info.roomName}`)}`;
  const firing = events.filter((e) => !isRecovery(e)).map(severityOf);
  const worst = RANK.find((s) => firing.includes(s));
  const elements: unknown[] = [];
  texts.forEach((t, i) => {
    if (i > 0) elements.push({ tag: 'hr' });
    // plain_text, not lark_md: names, labels and values come from config files and devices, and
    // none of them may restyle the card or inject a link.
    const lines = [t.title, ...t.lines.map(([k, v]) => `${k}: ${v}`)];
    elements.push({ tag: 'div', text: { tag: 'plain_text', content: lines.join('\n') } });
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
