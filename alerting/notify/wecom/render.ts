import type { NotifyEvent } from '../../incidents/incident.js';
import { renderMarkdown, type RenderContext } from '../render-common.js';

/** WeCom's markdown message; WeCom shows no separate title, so the first event's title leads the text. */
export function renderWecom(events: readonly NotifyEvent[], context: RenderContext): unknown {
  const { markdown } = renderMarkdown(events, context);
  return { msgtype: 'markdown', markdown: { content: markdown } };
}
