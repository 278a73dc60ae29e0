import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Alert } from '../../alerting/alerts.js';
import { SEVERITIES, type Severity } from '../../alerting/core/rule.js';
import { ERROR_RESPONSES } from '../errors.js';
import type { InventoryDeps } from './devices.js';

const AlertCounts = Type.Object(Object.fromEntries(SEVERITIES.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<Severity, ReturnType<typeof Type.Integer>>, {
  additionalProperties: false,
  description: 'active alerts of the room by severity',
});
const SiteSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    rooms: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          name: Type.String(),
          devices: Type.Integer({ minimum: 0, description: 'configured devices' }),
          down: Type.Integer({ minimum: 0, description: 'devices whose last poll failed' }),
          alerts: AlertCounts,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Where an alert is: where its device was when it opened, else its labels (roomwatch's own have neither). */
export function placeOfAlert(alert: Alert): { site?: string; room?: string } {
  return { site: alert.place?.site ?? alert.labels.site, room: alert.place?.room ?? alert.labels.room };
}

/** GET /api/sites (viewer): every site and room of the configuration with what is wrong in it. */
export function sitesRoutes(app: FastifyInstance, inventory: InventoryDeps, activeAlerts: () => readonly Alert[]): void {
  app.get('/api/sites', { config: { access: 'viewer' }, schema: { summary: 'Sites and rooms with device and alert counts', response: { 200: Type.Array(SiteSchema), ...ERROR_RESPONSES } } }, () => {
    const devices = inventory.devices();
    const alerts = activeAlerts().map((a) => ({ severity: a.severity, ...placeOfAlert(a) }));
    return inventory.sites().map((site) => ({
      id: site.id,
      name: site.name ?? site.id,
      rooms: site.rooms.map((room) => {
        const here = devices.filter((d) => d.site === site.id && d.room === room.id);
        const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
        for (const alert of alerts) if (alert.site === site.id && alert.room === room.id) counts[alert.severity] += 1;
        return {
          id: room.id,
          name: room.name ?? room.id,
          devices: here.length,
          down: here.filter((d) => inventory.latest(d.id)?.status === 'down').length,
          alerts: counts,
        };
      }),
    }));
  });
}
