import type { NotifyEvent } from '../../incidents/incident.js';
import { describeEvent, placeOf, WORDS, type RenderContext } from '../render-common.js';

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Subject, plain text and HTML of one notification; a group of events shares one mail. */
export function renderEmail(events: readonly NotifyEvent[], context: RenderContext): EmailMessage {
  const w = WORDS[context.language];
  const texts = events.map((e) => describeEvent(e, context));
  const first = texts[0]!;
  const info = placeOf(events[0]!, context);
  const subject = events.length === 1 ? first.title : `${first.title} (+${w.more(events.length - 1)}) — ${w.summary(events.length, `${info.siteName}/${info.roomName}`)}`;
  const text = texts.map((t) => [t.title, ...t.lines.map(([k, v]) => `  ${k}: ${v}`), ...(t.note ? [`  ${t.note}`] : [])].join('\n')).join('\n\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">${texts
    .map(
      (t) =>
        `<h3 style="margin:12px 0 4px">${escapeHtml(t.title)}</h3><table style="border-collapse:collapse">${t.lines
          .map(([k, v]) => `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
          .join('')}</table>${t.note ? `<p>${escapeHtml(t.note)}</p>` : ''}`,
    )
    .join('<hr>')}</body></html>`;
  return { subject, text: `${text}\n`, html };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
