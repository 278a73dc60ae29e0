import { parseArgs } from 'node:util';
import type { Alert } from '../alerting/alerts.js';
import { SEVERITY_ZH } from '../alerting/core/rule.js';

export const ALERTS_USAGE = `roomwatch alerts [--api http://127.0.0.1:8080]            list active alerts
roomwatch alerts ack ID --by NAME [--note TEXT] [--api URL]  acknowledge (token from ROOMWATCH_API_TOKEN)`;

/** `roomwatch alerts`: what is firing now, and acknowledging it, through the daemon's API. */
export async function alertsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { api: { type: 'string', default: 'http://127.0.0.1:8080' }, by: { type: 'string' }, note: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const api = values.api.replace(/\/$/, '');
  if (positionals[0] === 'ack') {
    const id = positionals[1];
    if (!id || !values.by) {
      process.stderr.write(`roomwatch alerts ack: an alert id and --by NAME are required\n${ALERTS_USAGE}\n`);
      return 2;
    }
    const response = await fetch(`${api}/api/alerts/${id}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.ROOMWATCH_API_TOKEN ?? ''}` },
      body: JSON.stringify({ by: values.by, ...(values.note ? { note: values.note } : {}) }),
    });
    const body = (await response.json()) as { message?: string };
    if (!response.ok) {
      process.stderr.write(`roomwatch alerts ack: ${response.status} ${body.message ?? ''}\n`);
      return 1;
    }
    process.stdout.write(`acknowledged ${id} as ${values.by}\n`);
    return 0;
  }
  if (positionals.length) {
    process.stderr.write(`roomwatch alerts: unknown action "${positionals[0]}"\n${ALERTS_USAGE}\n`);
    return 2;
  }
  const { active } = (await (await fetch(`${api}/api/alerts`)).json()) as { active: Alert[] };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(active, null, 2)}\n`);
    return 0;
  }
  if (!active.length) process.stdout.write('no active alerts\n');
  for (const a of active) {
    const labels = Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(',');
    process.stdout.write(
      `${a.id}  ${SEVERITY_ZH[a.severity]}/${a.severity}  ${a.status}${a.ack ? ` by ${a.ack.by}` : ''}${a.latchedAt === undefined ? '' : ' (条件已恢复，待确认后解除 / condition cleared, latched until acknowledged)'}  ${a.device}${labels ? `{${labels}}` : ''}  ${a.summary['zh-CN']} / ${a.summary.en}  value=${String(a.value)} (${a.threshold})  since ${new Date(a.firingSince).toISOString()}\n`,
    );
  }
  return 0;
}
