import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertAnnotations, baseDashboard, siteRoomVariables, type Context } from './context.js';
import { CATEGORY_TITLES, roomFieldPanel } from './room-overview.js';
import { Grid } from './panels.js';

/** Categories of the configured devices, in name order: one dashboard each. */
export function categories(ctx: Context): string[] {
  return [...new Set(ctx.templates.map((t) => t.category))].sort();
}

/** Every numeric point of the category's templates as a panel: a new template gets its panels without code. */
export function categoryDashboard(ctx: Context, category: string): Dashboard {
  const grid = new Grid();
  const title = CATEGORY_TITLES[category] ?? category;
  const templates = ctx.templates.filter((t) => t.category === category);
  const board = baseDashboard(`category-${category}`, `${title} · 设备 Devices`, `All points of ${templates.map((t) => t.name).join(', ')} / 该类设备的全部测点`)
    .variables(siteRoomVariables(ctx))
    .annotation(alertAnnotations(ctx, true));
  const measurements = new Set(templates.map((t) => t.measurement));
  const points = new Set(templates.flatMap((t) => (t.points as Array<{ measurement: string; field: string }>).map((p) => `${p.measurement}\u0000${p.field}`)));
  for (const view of ctx.views) {
    if (!measurements.has(view.measurement) || !points.has(`${view.measurement}\u0000${view.field}`)) continue;
    board.withPanel(roomFieldPanel(ctx, view, grid, `${view.field}${view.unit && !['enum', 'bool'].includes(view.unit) ? ` (${view.unit})` : ''}`));
  }
  return board.build();
}
