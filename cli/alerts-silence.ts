import { userInfo } from 'node:os';
import type { Silence } from '../alerting/core/mute.js';
import { parseDuration } from '../common/config/units.js';
import { failed, print, printJson, type Ctx } from './alerts-context.js';
import { localTime } from './alerts-text.js';

export const SILENCE_OPTIONS = {
  device: { type: 'string' },
  rule: { type: 'string' },
  match: { type: 'string', multiple: true },
  for: { type: 'string' },
  reason: { type: 'string' },
} as const;

interface SilenceValues {
  device?: string;
  rule?: string;
  match?: string[];
  for?: string;
  reason?: string;
  by?: string;
}

/** The matchers a silence is asked for with: --device and --rule are shorthands for --match device=… and rule=…. */
export function matchersOf(values: SilenceValues): Record<string, string> | string {
  const pairs: Array<[string, string]> = [];
  if (values.device !== undefined) pairs.push(['device', values.device]);
  if (values.rule !== undefined) pairs.push(['rule', values.rule]);
  for (const m of values.match ?? []) {
    const eq = m.indexOf('=');
    if (eq <= 0 || eq === m.length - 1) return `--match "${m}": expected KEY=VALUE, e.g. --match site=county-a`;
    pairs.push([m.slice(0, eq), m.slice(eq + 1)]);
  }
  if (!pairs.length) return 'silence: say what to silence: --device ID, --rule NAME or --match KEY=VALUE (site, room, device, device_type, rule, severity or an alert label)';
  const matchers: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (matchers[key] !== undefined && matchers[key] !== value) return `silence: ${key} is given twice ("${matchers[key]}" and "${value}"); an alert has one ${key}`;
    matchers[key] = value;
  }
  return matchers;
}

/** `roomwatch alerts silence`: POST /api/silences from now for the given duration. */
export async function silence(ctx: Ctx, values: SilenceValues, usageError: (problem: string) => number): Promise<number> {
  const matchers = matchersOf(values);
  if (typeof matchers === 'string') return usageError(matchers);
  if (!values.for) return usageError('silence: --for DURATION is required (30m, 2h, 3d)');
  if (!values.reason) return usageError('silence: --reason TEXT is required (it is shown with every alert it mutes)');
  let ms: number;
  try {
    ms = parseDuration(values.for);
  } catch (error) {
    return usageError(`--for: ${(error as Error).message}`);
  }
  // The API records an author; without --by, the login name of whoever ran the command.
  const body = { matchers, ends: new Date(Date.now() + ms).toISOString(), author: values.by ?? userInfo().username, reason: values.reason };
  const answer = await ctx.api.post<Silence>('/api/silences', body);
  if (answer.status !== 201) return failed(ctx, answer);
  if (ctx.json) return printJson(answer.body);
  print([ctx.text.say(`已静默 ${answer.body.id}`, `silenced ${answer.body.id}`), silenceLine(ctx, answer.body)]);
  return 0;
}

export async function silences(ctx: Ctx): Promise<number> {
  const answer = await ctx.api.get<Silence[]>('/api/silences');
  if (answer.status !== 200) return failed(ctx, answer);
  if (ctx.json) return printJson(answer.body);
  print(answer.body.length ? answer.body.map((s) => silenceLine(ctx, s)) : [ctx.text.say('没有生效的静默', 'no silences in force')]);
  return 0;
}

export async function unsilence(ctx: Ctx, id: string): Promise<number> {
  const answer = await ctx.api.delete<{ expired: string }>(`/api/silences/${encodeURIComponent(id)}`);
  if (answer.status !== 200) return failed(ctx, answer);
  if (ctx.json) return printJson(answer.body);
  print([ctx.text.say(`已解除静默 ${answer.body.expired}`, `silence ${answer.body.expired} ended`)]);
  return 0;
}

function silenceLine(ctx: Ctx, s: Silence): string {
  const what = Object.entries(s.matchers).map(([k, v]) => `${k}=${v}`).join(',');
  return `${s.id}  ${what}  ${ctx.text.say('至', 'until')} ${localTime(s.endsAt)}  ${s.author}: ${s.reason}`;
}
