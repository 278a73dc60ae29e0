import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { API_ERRORS, ERROR_RESPONSES } from '../errors.js';
import { NoQuery } from './common.js';

/** What reloading the file would do, decided before anything changes (cli/reload-guard.ts reloadVerdict). */
export type ReloadCheck = { ok: true } | { ok: false; problems: string[] } | { ok: false; restart: string[] };

export interface ReloadDeps {
  /** Loads and checks the configuration file as SIGHUP would, without applying it. */
  check(): ReloadCheck;
  /** Starts the reload, as SIGHUP does; called once the 202 is sent (the reload restarts this listener). */
  trigger(): void;
}

const Reloading = Type.Object({ reloading: Type.Literal(true) }, { additionalProperties: false });
const Invalid = Type.Object({ code: Type.Literal('CONFIG_INVALID'), message: Type.String(), problems: Type.Array(Type.String(), { description: 'file:line:column: path: problem' }) }, { additionalProperties: false });
const RestartRequired = Type.Object({ code: Type.Literal('RESTART_REQUIRED'), message: Type.String(), changes: Type.Array(Type.String()) }, { additionalProperties: false });

/** POST /api/reload (admin): the SIGHUP reload over HTTP, refused with its reasons when the file would be. */
export function reloadRoutes(app: FastifyInstance, reload: ReloadDeps): void {
  app.post(
    '/api/reload',
    {
      config: { access: 'admin' },
      schema: { summary: 'Reload the configuration file (as SIGHUP)', querystring: NoQuery, response: { 202: Reloading, 400: Invalid, 409: RestartRequired, ...ERROR_RESPONSES } },
      // After the answer is out: the reload stops this listener, which would otherwise cut the answer off.
      onResponse: async (_request, reply) => {
        if (reply.statusCode === 202) reload.trigger();
      },
    },
    async (_request, reply) => {
      const verdict = reload.check();
      if (verdict.ok) return reply.code(202).send({ reloading: true });
      if ('problems' in verdict) {
        return reply.code(API_ERRORS.CONFIG_INVALID).send({
          code: 'CONFIG_INVALID',
          message: `${verdict.problems.length} problem(s) in the configuration; the running one carries on`,
          problems: verdict.problems,
        });
      }
      return reply.code(API_ERRORS.RESTART_REQUIRED).send({
        code: 'RESTART_REQUIRED',
        message: `these settings change only with a restart: ${verdict.restart.join('; ')}; the running configuration carries on`,
        changes: verdict.restart,
      });
    },
  );
}
