import { parseArgs } from 'node:util';
import type { Incident } from '../alerting/incidents/incident.js';
import type { AlertView } from '../api/routes/alerts.js';
import type { IncidentDetail } from '../api/routes/incidents.js';
import { AlertsText, CLI_LANGS, type CliLang } from './alerts-text.js';

export const ALERTS_USAGE = `roomwatch alerts [--api http://127.0.0.1:8080] [--lang both|zh-CN|en] [--recent] [--json]
  list incidents with their alerts under them, then the other active alerts (--recent: and what resolved lately)
roomwatch alerts show ID [--api URL] [--lang ...] [--json]   one alert or incident, in full
roomwatch alerts ack ID --by NAME [--note TEXT] [--api URL]  acknowledge an alert, or an incident and its active alerts
  (token from ROOMWATCH_API_TOKEN)`;

interface Lists<T> {
  active: T[];
  recent: T[];
}
interface Answer<T> {
  status: number;
  body: T & { code?: string; message?: string };
}

/** The daemon's API as the CLI uses it; a daemon that cannot be reached is said so, with where it was looked for. */
class ApiClient {
  constructor(private readonly base: string) {}

  // Reads need credentials too (a viewer at least): the token goes with every request.
  get<T>(path: string): Promise<Answer<T>> {
    const token = process.env.ROOMWATCH_API_TOKEN;
    return this.#call<T>(path, { method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} });
  }

  post<T>(path: string, body: object): Promise<Answer<T>> {
    return this.#call<T>(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.ROOMWATCH_API_TOKEN ?? ''}` },
      body: JSON.stringify(body),
    });
  }

  async #call<T>(path: string, init: RequestInit): Promise<Answer<T>> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, init);
    } catch (error) {
      const { cause } = error as { cause?: { code?: string; message?: string } };
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new Error(`cannot reach the roomwatch API at ${this.base} (${why}); is "roomwatch run" listening there? (--api URL)`);
    }
    return { status: response.status, body: (await response.json()) as Answer<T>['body'] };
  }
}

/** `roomwatch alerts`: incidents and alerts, one in full, acknowledging either, through the daemon's API. */
export async function alertsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      api: { type: 'string', default: 'http://127.0.0.1:8080' },
      by: { type: 'string' },
      note: { type: 'string' },
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'both' },
      recent: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!CLI_LANGS.includes(values.lang as CliLang)) return usageError(`--lang "${values.lang}": expected one of ${CLI_LANGS.join(', ')}`);
  const api = new ApiClient(values.api.replace(/\/$/, ''));
  const text = new AlertsText(values.lang as CliLang);
  const [action, id, ...extra] = positionals;
  if (action === undefined) return list(api, text, values);
  if (action !== 'show' && action !== 'ack') return usageError(`unknown action "${action}"`);
  if (!id || extra.length) return usageError(`${action}: one alert or incident id is required`);
  if (action === 'show') return show(api, text, id, values.json);
  if (!values.by) return usageError('ack: --by NAME is required');
  return ack(api, text, id, { by: values.by, ...(values.note ? { note: values.note } : {}) });
}

function usageError(problem: string): number {
  process.stderr.write(`roomwatch alerts: ${problem}\n${ALERTS_USAGE}\n`);
  return 2;
}

const print = (lines: readonly string[]) => process.stdout.write(lines.map((l) => `${l}\n`).join(''));

async function list(api: ApiClient, text: AlertsText, options: { json: boolean; recent: boolean }): Promise<number> {
  const listed = await api.get<Lists<AlertView>>('/api/alerts');
  if (listed.status !== 200) return failed('', listed);
  const answer = await api.get<Lists<Incident>>('/api/incidents');
  // A daemon from before incidents has no such route: its alerts are all there is.
  if (answer.status !== 200 && answer.status !== 404) return failed('', answer);
  const alerts = listed.body;
  const incidents = answer.status === 404 ? { active: [], recent: [] } : answer.body;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ incidents: { active: incidents.active, recent: incidents.recent }, alerts: { active: alerts.active, recent: alerts.recent } }, null, 2)}\n`);
    return 0;
  }
  const byId = new Map([...alerts.recent, ...alerts.active].map((a) => [a.id, a]));
  const lines = grouped(text, incidents.active, alerts.active, byId);
  print(lines.length ? lines : [text.noneActive()]);
  if (options.recent && (incidents.recent.length || alerts.recent.length)) print([text.recentHeading(), ...grouped(text, incidents.recent, alerts.recent, byId)]);
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

async function show(api: ApiClient, text: AlertsText, id: string, json: boolean): Promise<number> {
  const alert = await api.get<AlertView>(`/api/alerts/${id}`);
  if (alert.status === 200) {
    print(json ? [JSON.stringify(alert.body, null, 2)] : text.alertDetail(alert.body));
    return 0;
  }
  if (alert.status !== 404) return failed('show', alert);
  const incident = await api.get<IncidentDetail>(`/api/incidents/${id}`);
  if (incident.status === 200) {
    print(json ? [JSON.stringify(incident.body, null, 2)] : text.incidentDetail(incident.body.incident, incident.body.alerts));
    return 0;
  }
  if (incident.status === 404) return failed('show', { status: 404, body: { message: `no alert or incident ${id} among the active and recent ones` } });
  return failed('show', incident);
}

async function ack(api: ApiClient, text: AlertsText, id: string, body: { by: string; note?: string }): Promise<number> {
  const alert = await api.post<AlertView>(`/api/alerts/${id}/ack`, body);
  if (alert.status === 200) {
    print([text.acknowledged(id, body.by), text.alertLine(alert.body)]);
    return 0;
  }
  // Not an active alert: perhaps the id is an incident's (the id in an incident message).
  if (alert.status !== 404) return failed('ack', alert);
  const incident = await api.post<IncidentDetail>(`/api/incidents/${id}/ack`, body);
  if (incident.status === 200) {
    const { incident: acknowledged, alerts } = incident.body;
    print([text.acknowledged(id, body.by), ...text.incidentBlock(acknowledged, new Map(alerts.map((a) => [a.id, a])))]);
    return 0;
  }
  if (incident.status === 404) return failed('ack', { status: 404, body: { message: `no active alert or incident ${id}` } });
  return failed('ack', incident);
}

function failed(action: string, answer: Answer<unknown>): number {
  process.stderr.write(`roomwatch alerts${action ? ` ${action}` : ''}: ${answer.status} ${answer.body.message ?? ''}\n`);
  return 1;
}
