import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Readiness } from '../../common/metrics/readiness.js';
import '../access.js';
import { ERROR_RESPONSES } from '../errors.js';

export const AliveSchema = Type.Object({ status: Type.Literal('alive') }, { additionalProperties: false });

const Localized = Type.Object({ en: Type.String(), 'zh-CN': Type.String() }, { additionalProperties: false });

export const ReadinessSchema = Type.Object(
  {
    ready: Type.Boolean(),
    checks: Type.Array(Type.Object({ name: Type.String(), ok: Type.Boolean(), reason: Type.Optional(Type.String()), text: Type.Optional(Localized) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

/**
 * The probes a supervisor polls (systemd watchdog script, keepalived, Kubernetes): public, since
 * a probe carries no credentials, and so they say nothing a stranger could use. /healthz answers
 * while the process serves HTTP at all; /readyz says whether it does its job (decideReadiness),
 * 503 when not, so a probe needs only the status code.
 */
export function probesRoutes(app: FastifyInstance, ready: () => Readiness): void {
  app.get('/healthz', { config: { access: 'public' }, schema: { summary: 'Liveness: the process answers', response: { 200: AliveSchema, ...ERROR_RESPONSES } } }, () => ({ status: 'alive' as const }));
  app.get('/readyz', { config: { access: 'public' }, schema: { summary: 'Readiness: configuration, pollers, storage and outbox, each with its reason', response: { ...ERROR_RESPONSES, 200: ReadinessSchema, 503: ReadinessSchema } } }, (_request, reply) => {
    const readiness = ready();
    return reply.code(readiness.ready ? 200 : 503).send(readiness);
  });
}
