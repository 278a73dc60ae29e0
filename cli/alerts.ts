import { parseArgs } from 'node:util';
import type { Incident } from '../alerting/incidents/incident.js';
import type { AlertView } from '../api/routes/alerts.js';
import type { IncidentDetail } from '../api/routes/incidents.js';
import { API_OPTIONS, API_OPTIONS_USAGE, contextOf, failed, print, printJson, type Ctx } from './alerts-context.js';
import { history, HISTORY_OPTIONS } from './alerts-history.js';
import { silence, silences, unsilence, SILENCE_OPTIONS } from './alerts-silence.js';
import type { AlertsText } from './alerts-text.js';

export const ALERTS_USAGE = `roomwatch alerts [--recent]   incidents with their alerts under them, then the other active alerts
  (--recent: and what resolved lately)
roomwatch alerts show ID   one alert or incident, in full
roomwatch alerts history [--site S] [--room R] [--device D] [--category C] [--severity S] [--from T] [--to T] [--limit N]
  alert events from the history (InfluxDB), newest first; T: 2026-12-01, 2026-12-01T08:00, or 24h / 7d ago
roomwatch alerts ack ID [--note TEXT] [--by NAME]   acknowledge an alert, or an incident and its active alerts
  (by: who the token says, unless given)
roomwatch alerts silence (--device ID | --rule NAME | --match KEY=VALUE ...) --for DURATION --reason TEXT [--by NAME]
  mute notifications of matching alerts (DURATION: 30m, 2h, 3d; at most 30 days)
roomwatch alerts silences   the silences in force
roomwatch alerts unsilence ID   end a silence made through the API
${API_OPTIONS_USAGE}`;

interface Lists<T> {
  active: T[];
  recent: T[];
}

/** Which options each action takes: anything else is a usage error, not silently ignored. */
const ACTION_OPTIONS: Record<string, readonly string[]> = {
  list: ['recent'],
  show: [],
  history: Object.keys(HISTORY_OPTIONS),
  ack: ['note', 'by'],
  silence: [...Object.keys(SILENCE_OPTIONS), 'by'],
  silences: [],
  unsilence: [],
};
const WITH_ID = new Set(['show', 'ack', 'unsilence']);

/** `roomwatch alerts`: incidents and alerts, their history, acknowledging and silencing them, through the daemon's API. */
export async function alertsCommand(argv: string[]): Promise<number> {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options: { ...API_OPTIONS, ...HISTORY_OPTIONS, ...SILENCE_OPTIONS, by: { type: 'string' }, note: { type: 'string' }, recent: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
  const [given, id, ...extra] = positionals;
  const action = given ?? 'list';
  const allowed = ACTION_OPTIONS[action];
  if (!allowed) return usageError(`unknown action "${action}"`);
  const foreign = [...new Set(tokens.flatMap((t) => (t.kind === 'option' && !(t.name in API_OPTIONS) && !allowed.includes(t.name) ? [`--${t.name}`] : [])))];
  if (foreign.length) return usageError(`${action}: ${foreign.join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not an option of this action`);
  if (WITH_ID.has(action) ? !id || extra.length : id !== undefined) return usageError(WITH_ID.has(action) ? `${action}: one id is required` : `${action}: takes no id ("${id}")`);
  const ctx = contextOf(`roomwatch alerts${action === 'list' ? '' : ` ${action}`}`, values);
  if (typeof ctx === 'string') return usageError(ctx);
  switch (action) {
    case 'show':
      return show(ctx, id!);
    case 'ack':
      return ack(ctx, id!, { ...(values.by ? { by: values.by } : {}), ...(values.note ? { note: values.note } : {}) });
    case 'history':
      return history(ctx, values, usageError);
    case 'silence':
      return silence(ctx, values, usageError);
    case 'silences':
      return silences(ctx);
    case 'unsilence':
      return unsilence(ctx, id!);
    default:
      return list(ctx, values.recent);
  }
}

function usageError(problem: string): number {
  process.stderr.write(`roomwatch alerts: ${problem}\n${ALERTS_USAGE}\n`);
  return 2;
}

async function list(ctx: Ctx, recent: boolean): Promise<number> {
  const { api, text } = ctx;
  const listed = await api.get<Lists<AlertView>>('/api/alerts');
  if (listed.status !== 200) return failed(ctx, listed);
  const answer = await api.get<Lists<Incident>>('/api/incidents');
  // A daemon from before incidents has no such route: its alerts are all there is.
  if (answer.status !== 200 && answer.status !== 404) return failed(ctx, answer);
  const alerts = listed.body;
  const incidents = answer.status === 404 ? { active: [], recent: [] } : answer.body;
  if (ctx.json) return printJson({ incidents: { active: incidents.active, recent: incidents.recent }, alerts: { active: alerts.active, recent: alerts.recent } });
  const byId = new Map([...alerts.recent, ...alerts.active].map((a) => [a.id, a]));
  const lines = grouped(text, incidents.active, alerts.active, byId);
  print(lines.length ? lines : [text.noneActive()]);
  if (recent && (incidents.recent.length || alerts.recent.length)) print([text.recentHeading(), ...grouped(text, incidents.recent, alerts.recent, byId)]);
  return 0;
}

/** Incidents first, each with its members under it; then the alerts none of them holds. */
function grouped(text: AlertsText, incidents: readonly Incident[], alerts: readonly AlertView[], byId: ReadonlyMap<string, AlertView>): string[] {
  const lines = incidents.flatMap((i) => text.incidentBlock(i, byId));
  const shown = new Set(incidents.flatMap((i) => i.members.map((m) => m.id)));
  const listedIncidents = new Set(incidents.map((i) => i.id));
  const others = alerts.filter((a) => !shown.has(a.id) && !(a.incidentId && listedIncidents.has(a.incidentId)));
  if (others.length && incidents.length) lines.push(text.othersHeading());
  lines.push(...others.map((a) => text.alertLine(a)));
  return lines;
}

async function show(ctx: Ctx, id: string): Promise<number> {
  const { api, text } = ctx;
  const alert = await api.get<AlertView>(`/api/alerts/${encodeURIComponent(id)}`);
  if (alert.status === 200) {
    if (ctx.json) return printJson(alert.body);
    print(text.alertDetail(alert.body));
    return 0;
  }
  if (alert.status !== 404) return failed(ctx, alert);
  const incident = await api.get<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`);
  if (incident.status === 200) {
    if (ctx.json) return printJson(incident.body);
    print(text.incidentDetail(incident.body.incident, incident.body.alerts));
    return 0;
  }
  if (incident.status === 404) return failed(ctx, { status: 404, body: { message: `no alert or incident ${id} among the active and recent ones` } });
  return failed(ctx, incident);
}

async function ack(ctx: Ctx, id: string, body: { by?: string; note?: string }): Promise<number> {
  const { api, text } = ctx;
  const alert = await api.post<AlertView>(`/api/alerts/${encodeURIComponent(id)}/ack`, body);
  if (alert.status === 200) {
    if (ctx.json) return printJson(alert.body);
    // Who the daemon recorded: the token's name when --by was not given.
    print([text.acknowledged(id, alert.body.ack?.by ?? body.by ?? '?'), text.alertLine(alert.body)]);
    return 0;
  }
  // Not an active alert: perhaps the id is an incident's (the id in an incident message).
  if (alert.status !== 404) return failed(ctx, alert);
  const incident = await api.post<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}/ack`, body);
  if (incident.status === 200) {
    if (ctx.json) return printJson(incident.body);
    const { incident: acknowledged, alerts } = incident.body;
    print([text.acknowledged(id, acknowledged.ack?.by ?? body.by ?? '?'), ...text.incidentBlock(acknowledged, new Map(alerts.map((a) => [a.id, a])))]);
    return 0;
  }
  if (incident.status === 404) return failed(ctx, { status: 404, body: { message: `no active alert or incident ${id}` } });
  return failed(ctx, incident);
}
