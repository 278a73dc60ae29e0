import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DaemonMetrics } from '../../common/metrics/daemon-metrics.js';
import '../access.js';
import { ERROR_RESPONSES } from '../errors.js';

/**
 * GET /metrics: the Prometheus text exposition of the daemon's registry. Viewer: the figures
 * (device types, alert counts) are the site's business, so Prometheus scrapes with a bearer token
 * (`authorization: { credentials_file: ... }` in its scrape config).
 */
export function metricsRoutes(app: FastifyInstance, metrics: DaemonMetrics): void {
  app.get('/metrics', { config: { access: 'viewer' }, schema: { summary: "The daemon's own figures in Prometheus text format", produces: ['text/plain'], response: { 200: Type.String({ description: 'Prometheus text exposition format 0.0.4' }), ...ERROR_RESPONSES } } }, async (_request, reply) => {
    const { contentType, text } = await metrics.exposition();
    return reply.type(contentType).send(text);
  });
}
