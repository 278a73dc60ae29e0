import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mocks/influxd.js';
import { apiFetch, apiJson, apiSection, TEST_VIEWER_TOKEN } from '../helpers/api-auth.js';
import { daemonTestBed } from '../helpers/daemon-bed.js';
import { eventually, runCli, startDaemon } from '../helpers/processes.js';

// `roomwatch alerts` and the alert and incident routes against the real daemon: a UPS nobody
// answers for raises its comms alert and opens a comms_lost incident, which the CLI lists, shows
// and acknowledges through the API the run command wires.
const { influxd, children } = daemonTestBed();
const TOKEN = 'alerts-cli-token-5521';
const viewer = { ROOMWATCH_API_TOKEN: TEST_VIEWER_TOKEN };

/** One site, one UPS that never answers (so its comms alert fires), the API token in $RW_API_TOKEN. */
async function roomConfig(): Promise<{ file: string; apiPort: number }> {
  const apiPort = await freePort();
  const silentPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'alerts-cli-'));
  const file = join(dir, 'roomwatch.yaml');
  writeFileSync(
    file,
    `influxdb: { url: "${influxd.url}", database: alerts_cli, flush_interval: 200ms }
spool: { dir: spool }
${apiSection(`127.0.0.1:${apiPort}`, 'token: { env: RW_API_TOKEN }')}
collector: { default_interval: 1s }
alerting: { state_dir: alerts, comms_lost_polls: 1 }
sites:
  - id: site-a
    rooms: [{ id: room-1 }]
devices:
  - { id: ups-1, site: site-a, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: ${silentPort}, community: public, timeout: 300ms, retries: 0 } }
`,
  );
  return { file, apiPort };
}

describe('roomwatch alerts against the daemon', () => {
  it('lists, shows and acknowledges an alert the daemon raised and the incident it opened; GET /api/alerts/:id answers it and 404s an unknown id', async () => {
    const { file, apiPort } = await roomConfig();
    const daemon = startDaemon(file, { RW_API_TOKEN: TOKEN });
    children.push(daemon);
    await daemon.waitFor('roomwatch running');
    const api = `http://127.0.0.1:${apiPort}`;
    type Listed = { id: string; device: string; status: string; ack?: { by: string }; display?: { en: { value?: string; state: boolean } } };
    const raised = await eventually(async () => {
      const { active } = (await apiJson<{ active: Listed[] }>(`${api}/api/alerts`));
      return active.find((a) => a.device === 'ups-1');
    }, 20_000, 'the comms alert of ups-1');
    expect(raised.display?.en).toMatchObject({ value: 'not answering', state: true });

    // Reading needs a viewer, as the daemon's API now does for every route.
    expect((await runCli(['alerts', '--api', api, '--lang', 'en'])).stderr).toBe('roomwatch alerts: 401 credentials needed: send "Authorization: Bearer <token>", or log in to the console (POST /api/session) (token from nowhere: set ROOMWATCH_API_TOKEN or give --config FILE with api.token)\n');
    const listed = await runCli(['alerts', '--api', api, '--lang', 'en'], viewer);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    const line = listed.stdout.split('\n').find((l) => l.includes(raised.id));
    // The value as the daemon's display says it: a state name, not the raw 0.
    expect(line).toMatch(new RegExp(`${raised.id} {2}\\w+ {2}firing {2}ups-1 {2}.+ {2}state not answering \\(threshold .+\\) {2}since `));

    const shown = await runCli(['alerts', 'show', raised.id, '--api', api, '--lang', 'en'], viewer);
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n').slice(0, 3)).toEqual([expect.stringMatching(new RegExp(`^alert ${raised.id} {2}\\w+ {2}firing`)), expect.any(String), expect.stringMatching(/^ {2}device: ups-1 /)]);

    const acked = await runCli(['alerts', 'ack', raised.id, '--by', '张工', '--api', api, '--lang', 'en'], { ROOMWATCH_API_TOKEN: TOKEN });
    expect([acked.code, acked.stdout.split('\n')[0]]).toEqual([0, `acknowledged ${raised.id} as 张工`]);
    const after = (await apiJson<Listed>(`${api}/api/alerts/${raised.id}`));
    expect(after).toMatchObject({ id: raised.id, status: 'acknowledged', ack: { by: '张工' } });

    // The comms loss opened a device incident: listed with its alert under it, shown, acknowledged by its id.
    const { active: incidents } = (await apiJson<{ active: Array<{ id: string; type: string; members: Array<{ id: string }> }> }>(`${api}/api/incidents`));
    const incident = incidents.find((i) => i.members.some((m) => m.id === raised.id))!;
    expect(incident.type).toBe('comms_lost');
    const grouped = (await runCli(['alerts', '--api', api, '--lang', 'zh-CN'], viewer)).stdout.split('\n');
    expect(grouped[0]).toMatch(new RegExp(`^事件 ${incident.id} {2}\\S+ {2}进行中 {2}.+ 设备通信中断 {2}开始于 .+ {2}\\(1 条告警\\)$`));
    expect(grouped[1]).toMatch(new RegExp(`^ {2}起因: ${raised.id} {2}\\S+ {2}已确认（张工） {2}ups-1 `));
    const shownIncident = (await runCli(['alerts', 'show', incident.id, '--api', api, '--lang', 'zh-CN'], viewer)).stdout.split('\n');
    expect(shownIncident[0]).toBe(grouped[0]);
    expect(shownIncident).toContain('  处置建议:');
    expect(shownIncident[shownIncident.indexOf('  相关告警:') + 1]).toMatch(new RegExp(`^ {4}起因: ${raised.id} `));
    const ackIncident = await runCli(['alerts', 'ack', incident.id, '--by', '李工', '--api', api, '--lang', 'en'], { ROOMWATCH_API_TOKEN: TOKEN });
    expect([ackIncident.code, ...ackIncident.stdout.split('\n').slice(0, 2)]).toEqual([0, `acknowledged ${incident.id} as 李工`, expect.stringMatching(new RegExp(`^incident ${incident.id} {2}\\S+ {2}acknowledged by 李工 `))]);
    const detail = (await apiJson<{ incident: { status: string; ack?: { by: string } }; alerts: Array<{ id: string }> }>(`${api}/api/incidents/${incident.id}`));
    expect([detail.incident.status, detail.incident.ack?.by, detail.alerts.map((a) => a.id)]).toEqual(['acknowledged', '李工', [raised.id]]);
    expect(((await apiJson<{ open_incidents: number }>(`${api}/api/health`))).open_incidents).toBe(1);

    const unknown = await apiFetch(`${api}/api/alerts/0123456789`);
    expect([unknown.status, ((await unknown.json()) as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    const neither = await runCli(['alerts', 'ack', '0123456789', '--by', '张工', '--api', api], { ROOMWATCH_API_TOKEN: TOKEN });
    expect([neither.code, neither.stderr]).toEqual([1, 'roomwatch alerts ack: 404 no active alert or incident 0123456789\n']);
  });

  it('finds the daemon and its token through --config, silences and unsilences the device, and says where it looked once the daemon is gone', async () => {
    const { file, apiPort } = await roomConfig();
    const daemon = startDaemon(file, { RW_API_TOKEN: TOKEN });
    children.push(daemon);
    await daemon.waitFor('roomwatch running');
    // The engineer's shell: the variable the configuration names, no ROOMWATCH_API_TOKEN, no --api.
    const shell = { RW_API_TOKEN: TOKEN, ROOMWATCH_API_TOKEN: '', ROOMWATCH_CONFIG: '', TZ: 'Asia/Shanghai' };
    const raised = await eventually(async () => {
      const { stdout } = await runCli(['alerts', '--config', file, '--lang', 'en', '--json'], shell);
      return ((JSON.parse(stdout) as { alerts: { active: Array<{ id: string; device: string }> } }).alerts.active).find((a) => a.device === 'ups-1');
    }, 20_000, 'the comms alert of ups-1, through --config');

    const made = await runCli(['alerts', 'silence', '--device', 'ups-1', '--for', '2h', '--reason', '更换电池', '--by', '张工', '--lang', 'en'], { ...shell, ROOMWATCH_CONFIG: file });
    expect([made.code, made.stderr]).toEqual([0, '']);
    const [heading, line] = made.stdout.split('\n');
    const id = /^silenced (\S+)$/.exec(heading!)![1]!;
    expect(line).toMatch(new RegExp(`^${id} {2}device=ups-1 {2}until \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\+08:00 {2}张工: 更换电池$`));
    const api = `http://127.0.0.1:${apiPort}`;
    const held = (await (await fetch(`${api}/api/silences`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Array<{ id: string; matchers: Record<string, string>; author: string }>;
    expect(held).toEqual([expect.objectContaining({ id, matchers: { device: 'ups-1' }, author: '张工' })]);
    const listed = await runCli(['alerts', 'silences', '--config', file, '--lang', 'en'], shell);
    expect(listed.stdout).toBe(`${line}\n`);

    const ended = await runCli(['alerts', 'unsilence', id, '--config', file, '--lang', 'en'], shell);
    expect([ended.code, ended.stdout]).toEqual([0, `silence ${id} ended\n`]);
    expect(await (await fetch(`${api}/api/silences`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()).toEqual([]);
    const again = await runCli(['alerts', 'unsilence', id, '--config', file], shell);
    expect([again.code, again.stderr]).toEqual([1, `roomwatch alerts unsilence: 404 no silence ${id} made through the API\n`]);
    const shown = await runCli(['alerts', 'show', raised.id, '--config', file, '--lang', 'en'], shell);
    expect(shown.stdout.split('\n')[4]).toMatch(/^ {2}since \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00$/);

    // Without the variable the configuration names, a write is refused and the CLI says why.
    const noToken = await runCli(['alerts', 'ack', raised.id, '--by', '张工', '--config', file], { ...shell, RW_API_TOKEN: '' });
    expect([noToken.code, noToken.stderr]).toEqual([1, `roomwatch alerts ack: 401 credentials needed: send "Authorization: Bearer <token>", or log in to the console (POST /api/session) (token from nowhere: api.token in ${file} is $RW_API_TOKEN, which is not set here)\n`]);

    await daemon.stop();
    const gone = await runCli(['alerts', '--config', file], shell);
    expect([gone.code, gone.stderr]).toEqual([1, `roomwatch: cannot reach the roomwatch API at ${api} (from ${file} (api.listen)): connect ECONNREFUSED 127.0.0.1:${apiPort}; is "roomwatch run" listening there? (--api URL or --config FILE)\n`]);
  });
});
