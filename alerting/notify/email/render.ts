import type { NotifyEvent } from '../../incidents/incident.js';
import { describeEvent, groupTitle, plainText, type EventText, type RenderContext } from '../render-common.js';

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Subject, plain text and HTML of one notification; a group of events shares one mail, headed by its incident if it holds one. */
export function renderEmail(events: readonly NotifyEvent[], context: RenderContext): EmailMessage {
  const texts = events.map((e) => describeEvent(e, context));
  const subject = groupTitle(events, texts, context);
  const text = texts.map((t) => plainText(t)).join('\n\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">${texts.map(htmlOf).join('<hr>')}</body></html>`;
  return { subject, text: `${text}\n`, html };
}

function htmlOf(t: EventText): string {
  const rows = t.lines
    .map(([k, v]) => {
      const cell = typeof v === 'string' ? escapeHtml(v) : `<ul style="margin:0;padding-left:18px">${v.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
      return `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${cell}</td></tr>`;
    })
    .join('');
  return `<h3 style="margin:12px 0 4px">${escapeHtml(t.title)}</h3><table style="border-collapse:collapse">${rows}</table>${t.note ? `<p>${escapeHtml(t.note)}</p>` : ''}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
