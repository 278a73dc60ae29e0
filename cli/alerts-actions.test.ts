import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alertsCommand } from './alerts.js';
import { reloadCommand } from './reload.js';
import { captured, NOW, requests, roomwatchAlerts, silenceStore, TOKEN, useAlertsApiBed, world } from '../test/helpers/alerts-cli-bed.js';

// Silencing, the history and reloading, through `roomwatch alerts` and `roomwatch reload`.
useAlertsApiBed();

describe('roomwatch alerts silence, silences, unsilence', () => {
  it('silences a device from now for the duration, lists the silence and ends it', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    const made = await roomwatchAlerts('silence', '--device', 'ups-3', '--for', '2h', '--reason', '更换电池', '--by', '张工', '--lang', 'en');
    vi.useRealTimers();
    expect([made.code, ...made.out]).toEqual([0, 'silenced s1', 's1  device=ups-3  until 2026-12-02 13:00:00 +08:00  张工: 更换电池']);
    expect(silenceStore).toEqual([{ id: 's1', matchers: { device: 'ups-3' }, startsAt: NOW, endsAt: NOW + 2 * 3_600_000, author: '张工', reason: '更换电池' }]);

    expect((await roomwatchAlerts('silences', '--lang', 'zh-CN')).out).toEqual(['s1  device=ups-3  至 2026-12-02 13:00:00 +08:00  张工: 更换电池']);
    const ended = await roomwatchAlerts('unsilence', 's1', '--lang', 'en');
    expect([ended.code, ...ended.out]).toEqual([0, 'silence s1 ended']);
    expect(silenceStore).toEqual([]);
    expect((await roomwatchAlerts('silences', '--lang', 'en')).out).toEqual(['no silences in force']);
    expect(requests).toEqual(['POST /api/silences', 'GET /api/silences', 'DELETE /api/silences/s1', 'GET /api/silences']);
  });

  it('matches on a rule and on any label, together', async () => {
    const made = await roomwatchAlerts('silence', '--rule', 'phase_voltage_low', '--match', 'site=bj1', '--match', 'phase=1', '--for', '30m', '--reason', '线路检修', '--by', '张工');
    expect(made.code).toBe(0);
    expect(silenceStore[0]!.matchers).toEqual({ rule: 'phase_voltage_low', site: 'bj1', phase: '1' });
  });

  it('explains what is missing or malformed before asking the daemon, and passes on what it refuses', async () => {
    const first = async (...args: string[]) => {
      const { code, err } = await roomwatchAlerts('silence', ...args);
      return [code, err.split('\n')[0]];
    };
    expect(await first('--for', '2h', '--reason', 'x')).toEqual([2, expect.stringMatching(/^roomwatch alerts: silence: say what to silence: --device ID, --rule NAME or --match KEY=VALUE/)]);
    expect(await first('--match', 'site', '--for', '2h', '--reason', 'x')).toEqual([2, 'roomwatch alerts: --match "site": expected KEY=VALUE, e.g. --match site=county-a']);
    expect(await first('--device', 'ups-3', '--match', 'device=ups-4', '--for', '2h', '--reason', 'x')).toEqual([2, 'roomwatch alerts: silence: device is given twice ("ups-3" and "ups-4"); an alert has one device']);
    expect(await first('--device', 'ups-3', '--for', '2 hours', '--reason', 'x')).toEqual([2, 'roomwatch alerts: --for: invalid duration "2 hours": expected a number and a unit (ms, s, m, h, d), e.g. "10s"']);
    expect(await first('--device', 'ups-3', '--for', '2h')).toEqual([2, 'roomwatch alerts: silence: --reason TEXT is required (it is shown with every alert it mutes)']);
    expect(requests).toEqual([]);
    // Too long: the daemon's own rule and words.
    expect(await first('--device', 'ups-3', '--for', '45d', '--reason', 'x', '--by', '张工')).toEqual([1, expect.stringMatching(/^roomwatch alerts silence: 400 "ends" is more than 30 days away/)]);
    const missing = await roomwatchAlerts('unsilence', 's9');
    expect([missing.code, missing.err]).toEqual([1, 'roomwatch alerts unsilence: 404 no silence s9 made through the API\n']);
  });
});

/**
 * GET /api/history and POST /api/reload as PLAN.md (issue 11) fixes them, served by an app built
 * here until the daemon's routes exist: the same error bodies, the roles' answers.
 */
describe('roomwatch alerts history and roomwatch reload (contract routes)', () => {
  const VIEWER = 'viewer-token-0001';
  const ROWS = [
    { time: NOW - 5_000, event: 'resolved', alert_id: 'eeeeeeeee1', site: 'bj1', room: 'a', device: 'meter-1', site_name: '省公司', room_name: '三楼主机房', device_name: '进线电表', rule: 'phase_voltage_low', severity: 'minor', category: 'power', fault: 'member', incident: '7c1e09ab42', duration_s: 115, reason: 'cleared' },
    { time: NOW - 30_000, event: 'acknowledged', alert_id: 'aaaaaaaaa2', site: 'bj1', room: 'a', device: 'ups-2', rule: 'ups_on_battery', severity: 'critical', category: 'power', fault: 'single', ack_by: '李工', ack_after_s: 89 },
    { time: NOW - 120_000, event: 'opened', alert_id: 'aaaaaaaaa1', site: 'bj1', room: 'a', device: 'ups-1', site_name: '省公司', room_name: '三楼主机房', device_name: '1号UPS', rule: 'ups_on_battery', severity: 'critical', category: 'power', fault: 'single', value: 5 },
  ];
  let contract: FastifyInstance;
  let contractUrl = '';
  let queries: Array<Record<string, string>>;
  let historyAnswer: { status: number; body: unknown };
  let reloadAnswer: { status: number; body: unknown };
  let ackBodies: unknown[];

  beforeEach(async () => {
    queries = [];
    ackBodies = [];
    historyAnswer = { status: 200, body: ROWS };
    reloadAnswer = { status: 202, body: { reloading: true } };
    contract = Fastify();
    contract.addHook('onRequest', async (request, reply) => {
      const auth = request.headers.authorization;
      if (auth !== `Bearer ${TOKEN}` && auth !== `Bearer ${VIEWER}`) return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'missing or wrong credentials' });
    });
    contract.get('/api/history', async (request, reply) => {
      queries.push(request.query as Record<string, string>);
      return reply.code(historyAnswer.status).send(historyAnswer.body);
    });
    contract.post('/api/reload', async (request, reply) => {
      if (request.headers.authorization === `Bearer ${VIEWER}`) return reply.code(403).send({ code: 'FORBIDDEN', message: 'POST /api/reload needs role admin; this token is viewer' });
      return reply.code(reloadAnswer.status).send(reloadAnswer.body);
    });
    // Acknowledgement's `by` defaults to the caller's identity (api.token's admin is named "api.token").
    contract.post<{ Params: { id: string }; Body: { by?: string; note?: string } }>('/api/alerts/:id/ack', (request, reply) => {
      ackBodies.push(request.body);
      const leak = world.active.find((a) => a.id === request.params.id)!;
      return reply.send({ ...leak, status: 'acknowledged', ack: { by: request.body.by ?? 'api.token', at: NOW } });
    });
    contractUrl = await contract.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(() => contract.close());

  const history = (...args: string[]) => captured(() => alertsCommand(['history', ...args, '--api', contractUrl]));
  const reload = (...args: string[]) => captured(() => reloadCommand([...args, '--api', contractUrl]));

  it('lists alert events newest first with places, events and what followed, in local time', async () => {
    const en = await history('--lang', 'en');
    expect([en.code, ...en.out]).toEqual([
      0,
      '2026-12-02 10:59:55 +08:00  resolved  minor  省公司 / 三楼主机房 / 进线电表  phase_voltage_low  eeeeeeeee1  [condition cleared]  [lasted 115 s]  [incident 7c1e09ab42]',
      '2026-12-02 10:59:30 +08:00  acknowledged  critical  bj1 / a / ups-2  ups_on_battery  aaaaaaaaa2  [by 李工 after 89 s]',
      '2026-12-02 10:58:00 +08:00  opened  critical  省公司 / 三楼主机房 / 1号UPS  ups_on_battery  aaaaaaaaa1  [value 5]',
    ]);
    const zh = await history('--lang', 'zh-CN');
    expect(zh.out[1]).toBe('2026-12-02 10:59:30 +08:00  确认  紧急  bj1 / a / ups-2  ups_on_battery  aaaaaaaaa2  [确认人 李工（89 秒后）]');
    expect(JSON.parse((await history('--json')).out.join('\n'))).toEqual(ROWS);
  });

  it('sends the filters, local dates as their local midnight and "24h" as that long ago', async () => {
    await history('--site', 'bj1', '--room', 'a', '--device', 'ups-1', '--category', 'power', '--severity', 'critical', '--from', '2026-12-01', '--to', '2026-12-02T08:00', '--limit', '50');
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    await history('--from', '24h');
    vi.useRealTimers();
    expect(queries).toEqual([
      { site: 'bj1', room: 'a', device: 'ups-1', category: 'power', severity: 'critical', from: '2026-11-30T16:00:00.000Z', to: '2026-12-02T00:00:00.000Z', limit: '50' },
      { from: '2026-12-01T03:00:00.000Z' },
    ]);
  });

  it('refuses bad filters itself, and says when the history store does not answer', async () => {
    const first = async (...args: string[]) => {
      const { code, err } = await history(...args);
      return [code, err.split('\n')[0]];
    };
    expect(await first('--severity', 'high')).toEqual([2, 'roomwatch alerts: --severity "high": expected one of critical, major, minor, warning']);
    expect(await first('--category', 'ups')).toEqual([2, 'roomwatch alerts: --category "ups": expected one of power, cooling, environment, communication, roomwatch']);
    expect(await first('--from', 'yesterday')).toEqual([2, expect.stringMatching(/^roomwatch alerts: --from "yesterday": expected a date \(2026-12-01\)/)]);
    expect(await first('--from', '2026-12-02', '--to', '2026-12-01')).toEqual([2, 'roomwatch alerts: --from must be before --to']);
    expect(await first('--limit', '0')).toEqual([2, 'roomwatch alerts: --limit "0": expected a whole number from 1']);
    expect(queries).toEqual([]);
    historyAnswer = { status: 503, body: { code: 'STORAGE_UNAVAILABLE', message: 'InfluxDB at http://127.0.0.1:8086 did not answer' } };
    expect(await first()).toEqual([1, 'roomwatch alerts history: 503 InfluxDB at http://127.0.0.1:8086 did not answer']);
    historyAnswer = { status: 200, body: [] };
    expect((await history('--lang', 'en')).out).toEqual(['no alert events in that range']);
  });

  it('reloads, and lists the problems when the daemon refuses the new file', async () => {
    const done = await reload('--lang', 'en');
    expect([done.code, done.out[0]]).toEqual([0, 'the new configuration validated; the daemon is reloading it']);
    reloadAnswer = {
      status: 400,
      body: { code: 'CONFIG_INVALID', message: '2 problems in /etc/roomwatch/roomwatch.yaml', problems: ['/etc/roomwatch/roomwatch.yaml:12:5: devices[3].site: no site "bj9"', { file: '/etc/roomwatch/devices/a.yaml', line: 4, column: 3, path: 'devices[0].template', message: 'unknown template "ups-x"' }] },
    };
    const invalid = await reload('--lang', 'en');
    expect([invalid.code, invalid.err]).toEqual([
      1,
      'roomwatch reload: refused; the running configuration carries on: 2 problems in /etc/roomwatch/roomwatch.yaml\n  /etc/roomwatch/roomwatch.yaml:12:5: devices[3].site: no site "bj9"\n  /etc/roomwatch/devices/a.yaml:4:3: devices[0].template: unknown template "ups-x"\n',
    ]);
    reloadAnswer = { status: 409, body: { code: 'RESTART_REQUIRED', message: 'api.listen changes only with a restart' } };
    const restart = await reload('--lang', 'zh-CN');
    expect([restart.code, restart.err]).toEqual([1, 'roomwatch reload: 已拒绝，仍在运行原配置: api.listen changes only with a restart\n']);
  });

  it('acknowledges without --by as whoever the token is, and says who the daemon recorded', async () => {
    const { code, out } = await captured(() => alertsCommand(['ack', '8adef1bcde', '--note', '已到现场', '--api', contractUrl, '--lang', 'en']));
    expect([code, out[0]]).toEqual([0, 'acknowledged 8adef1bcde as api.token']);
    expect(out[1]).toMatch(/^8adef1bcde {2}critical {2}acknowledged by api\.token /);
    expect(ackBodies).toEqual([{ note: '已到现场' }]);
  });

  it('explains 403 by the role needed, and 401 by where the token came from', async () => {
    vi.stubEnv('ROOMWATCH_API_TOKEN', VIEWER);
    const forbidden = await reload();
    expect([forbidden.code, forbidden.err]).toEqual([1, 'roomwatch reload: 403 POST /api/reload needs role admin; this token is viewer (this needs a token with a larger role: operator to acknowledge and silence, admin to reload)\n']);
    vi.stubEnv('ROOMWATCH_API_TOKEN', '');
    const none = await history();
    expect([none.code, none.err]).toEqual([1, 'roomwatch alerts history: 401 missing or wrong credentials (token from nowhere: set ROOMWATCH_API_TOKEN or give --config FILE with api.token)\n']);
  });
});
