import type { NotifyEvent } from '../../incidents/incident.js';
import { renderMarkdown, type RenderContext } from '../render-common.js';

/** DingTalk's markdown message: the title is what the phone's notification shows. */
export function renderDingtalk(events: readonly NotifyEvent[], context: RenderContext): unknown {
  const { title, markdown } = renderMarkdown(events, context);
  return { msgtype: 'markdown', markdown: { title, text: markdown } };
}
