import { ApiClient, apiTarget, type Answer } from './api-client.js';
import { AlertsText, CLI_LANGS, type CliLang } from './alerts-text.js';

/** What every action of `roomwatch alerts` (and `roomwatch reload`) works with. */
export interface Ctx {
  api: ApiClient;
  text: AlertsText;
  json: boolean;
  /** "roomwatch alerts ack": the prefix of every line on stderr. */
  command: string;
}

/** Options every API command takes: where the daemon is, which language, JSON or text. */
export const API_OPTIONS = {
  api: { type: 'string' },
  config: { type: 'string', short: 'c' },
  lang: { type: 'string', default: 'both' },
  json: { type: 'boolean', default: false },
} as const;

export const API_OPTIONS_USAGE = `  options: [--api URL] [--config FILE] [--lang both|zh-CN|en] [--json]; the API address and token
  come from --api and ROOMWATCH_API_TOKEN, else api.listen and api.token of --config FILE
  (default $ROOMWATCH_CONFIG, else ./roomwatch.yaml when it exists), else http://127.0.0.1:8080`;

/** The context from the parsed shared options; a usage problem as a string. */
export function contextOf(command: string, values: { api?: string; config?: string; lang: string; json: boolean }): Ctx | string {
  if (!CLI_LANGS.includes(values.lang as CliLang)) return `--lang "${values.lang}": expected one of ${CLI_LANGS.join(', ')}`;
  const target = apiTarget({ ...(values.api ? { api: values.api } : {}), ...(values.config ? { config: values.config } : {}) });
  return { api: new ApiClient(target), text: new AlertsText(values.lang as CliLang), json: values.json, command };
}

export const print = (lines: readonly string[]): void => {
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
};

export function printJson(value: unknown): number {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  return 0;
}

/** An error answer on stderr, explained (401: where the token came from; 403: which role is needed); exit 1. */
export function failed(ctx: Ctx, answer: Answer<unknown>): number {
  process.stderr.write(`${ctx.command}: ${ctx.api.explain(answer)}\n`);
  return 1;
}
