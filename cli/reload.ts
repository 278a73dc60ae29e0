import { parseArgs } from 'node:util';
import { API_OPTIONS, API_OPTIONS_USAGE, contextOf, failed, print, printJson } from './alerts-context.js';

export const RELOAD_USAGE = `roomwatch reload   ask the running daemon to reload its configuration file (POST /api/reload, an admin
  token: api.token); the same as SIGHUP, answered: the file is validated first, and a broken file, or one
  that moves what only a restart may change, is refused with every problem listed
${API_OPTIONS_USAGE}`;

interface Refusal {
  code?: string;
  message?: string;
  problems?: unknown[];
}

/** `roomwatch reload`: 0 when the daemon took the new file, 1 with its problems when it refused it. */
export async function reloadCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: API_OPTIONS, strict: true });
  const ctx = contextOf('roomwatch reload', values);
  if (typeof ctx === 'string') {
    process.stderr.write(`roomwatch reload: ${ctx}\n${RELOAD_USAGE}\n`);
    return 2;
  }
  const answer = await ctx.api.post<{ reloading?: boolean } & Refusal>('/api/reload');
  if (ctx.json) {
    printJson(answer.body);
    return answer.status === 202 ? 0 : 1;
  }
  const say = (zh: string, en: string) => ctx.text.say(zh, en);
  if (answer.status === 202) {
    print([say('新配置已通过校验，守护进程正在重新加载', 'the new configuration validated; the daemon is reloading it'), say('结果见守护进程日志与 /api/health', 'its log and /api/health say when it is done')]);
    return 0;
  }
  if (answer.body.code === 'CONFIG_INVALID' || answer.body.code === 'RESTART_REQUIRED') {
    process.stderr.write(`roomwatch reload: ${say('已拒绝，仍在运行原配置', 'refused; the running configuration carries on')}: ${answer.body.message ?? answer.body.code}\n`);
    for (const problem of answer.body.problems ?? []) process.stderr.write(`  ${problemText(problem)}\n`);
    return 1;
  }
  return failed(ctx, answer);
}

/** A problem as the daemon lists it: a line already formatted, or a located issue. */
function problemText(problem: unknown): string {
  if (typeof problem === 'string') return problem;
  const p = problem as { file?: string; line?: number; column?: number; path?: string; message?: string };
  if (p.message === undefined) return JSON.stringify(problem);
  const at = p.file ? `${p.file}${p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : ''}: ` : '';
  return `${at}${p.path ? `${p.path}: ` : ''}${p.message}`;
}
