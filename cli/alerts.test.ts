import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../alerting/alerts.js';
import type { Incident } from '../alerting/incidents/incident.js';
import { buildApp, type ApiDeps } from '../api/app.js';
import type { AlertDisplay } from '../api/routes/alerts.js';
import type { Silence } from '../alerting/core/mute.js';
import { Secret } from '../common/config/secret.js';
import { alertsCommand } from './alerts.js';
import { apiTarget } from './api-client.js';
import { reloadCommand } from './reload.js';

// `roomwatch alerts` against the real API on loopback (fake engine lists behind it): what an
// engineer reads in the terminal, through the same response schemas the daemon serializes with.
const NOW = Date.parse('2026-12-02T03:00:00Z');
const TOKEN = 'cli-test-token-1234';
// Times print in the machine's zone (TZ): Beijing here.
const SINCE = '2026-12-02 10:58:00 +08:00';

function alert(id: string, device: string, overrides: Partial<Alert>): Alert {
  return {
    id, key: `${device}|${overrides.rule ?? 'rule'}`, rule: 'rule', severity: 'critical', summary: { en: '?', 'zh-CN': '?' }, source: 'template', device,
    labels: {}, status: 'firing', flapping: false, value: 1, threshold: '= 1', measurement: 'm', field: 'f', firingSince: NOW - 120_000, notes: [], tiers: [0],
    ...overrides,
  };
}

/** One room's mains failure: two UPSes on battery, a flapping CRAC alarm and a meter that recovered, folded in; a latched leak apart. */
function room() {
  const onBattery = { rule: 'ups_on_battery', value: 5, threshold: '= 5', summary: { en: 'UPS on battery', 'zh-CN': 'UPS 电池供电' }, incidentId: '7c1e09ab42' };
  const active: Alert[] = [
    alert('aaaaaaaaa1', 'ups-1', { ...onBattery, place: { name: '1号UPS', site: 'bj1', siteName: '省公司', room: 'a', roomName: '三楼主机房', deviceType: 'ups-rfc1628', category: 'ups', labels: {} } }),
    alert('aaaaaaaaa2', 'ups-2', { ...onBattery, status: 'acknowledged', ack: { by: '李工', at: NOW - 30_000 } }),
    alert('ccccccccc1', 'crac-1', { rule: 'crac_alarm', severity: 'major', value: 0, flapping: true, summary: { en: 'Precision AC alarm', 'zh-CN': '精密空调告警' }, incidentId: '7c1e09ab42' }),
    alert('8adef1bcde', 'leak-1', { rule: 'water_leak', value: 0, latchedAt: NOW - 60_000, summary: { en: 'Water leak detected', 'zh-CN': '检测到漏水' } }),
  ];
  const recent: Alert[] = [
    alert('eeeeeeeee1', 'meter-1', {
      rule: 'phase_voltage_low', severity: 'minor', labels: { phase: '1' }, value: 221, threshold: '< 198', status: 'resolved', resolvedAt: NOW - 5_000,
      resolution: { reason: 'cleared' }, summary: { en: 'Phase voltage low', 'zh-CN': '相电压低' }, incidentId: '7c1e09ab42',
      context: [{ measurement: 'power_meter', field: 'voltage', tags: { phase: '2' }, value: 219.5, unit: 'V', at: NOW - 5_000 }],
    }),
  ];
  const incident: Incident = {
    id: '7c1e09ab42', type: 'mains_failure', scope: { level: 'room', site: 'bj1', room: 'a' }, severity: 'critical', category: 'power',
    summary: { en: 'mains failure', 'zh-CN': '市电中断' }, advice: { en: ['Check the mains and the generator'], 'zh-CN': ['确认市电与发电机'] },
    status: 'open', openedAt: NOW - 120_000, notes: [], tiers: [0],
    members: [
      { key: 'ups-1|ups_on_battery', id: 'aaaaaaaaa1', role: 'opener', joinedAt: NOW - 120_000 },
      { key: 'ups-2|ups_on_battery', id: 'aaaaaaaaa2', role: 'opener', joinedAt: NOW - 119_000 },
      { key: 'crac-1|crac_alarm', id: 'ccccccccc1', role: 'member', joinedAt: NOW - 118_000, reattributed: true },
      { key: 'meter-1|phase_voltage_low', id: 'eeeeeeeee1', role: 'member', joinedAt: NOW - 117_000 },
      { key: 'pdu-9|rule', id: 'fffffffff1', role: 'member', joinedAt: NOW - 116_000 },
    ],
  };
  return { active, recent, incident };
}

/** State names for the state rules, units for the rest: what alerting/display.ts says of them. */
function display(a: Alert): AlertDisplay {
  if (a.rule === 'ups_on_battery') return { en: { value: 'on battery', threshold: '= on battery', state: true, byState: true }, 'zh-CN': { value: '电池供电', threshold: '= 电池供电', state: true, byState: true } };
  if (a.rule === 'phase_voltage_low') return { en: { value: `${String(a.value)} V`, threshold: '< 198 V', state: false, byState: false }, 'zh-CN': { value: `${String(a.value)} V`, threshold: '< 198 V', state: false, byState: false } };
  if (a.rule === 'comms_lost') return { en: { threshold: 'no answer for 3 polls', state: false, byState: false }, 'zh-CN': { threshold: '连续 3 次轮询无应答', state: false, byState: false } };
  if (a.rule === 'water_leak') return { en: { value: 'dry', threshold: '= leak detected', state: true, byState: true }, 'zh-CN': { value: '无水', threshold: '= 检测到漏水', state: true, byState: true } };
  // A threshold on a point whose values are named: a state, with its condition still worth saying.
  return { en: { value: a.value === 0 ? 'normal' : 'alarm', threshold: '≥ 1 for 3 polls', state: true, byState: false }, 'zh-CN': { value: a.value === 0 ? '正常' : '告警', threshold: '≥ 1 持续 3 次轮询', state: true, byState: false } };
}

let app: FastifyInstance;
let url = '';
let world: ReturnType<typeof room>;
let requests: string[];
let bearers: Array<string | undefined>;
let silenceStore: Silence[];

function deps(): ApiDeps {
  return {
    silences: {
      list: () => silenceStore,
      add: (input) => {
        const made = { ...input, id: `s${silenceStore.length + 1}` };
        silenceStore.push(made);
        return made;
      },
      expire: (id) => silenceStore.length !== (silenceStore = silenceStore.filter((x) => x.id !== id)).length,
    },
    alerts: {
      active: () => world.active,
      recent: () => world.recent,
      alert: (id) => [...world.active, ...world.recent].find((a) => a.id === id),
      acknowledge: (id, by, note) => {
        const a = world.active.find((x) => x.id === id);
        if (!a) return { error: `no active alert with id ${id}` };
        return Object.assign(a, { status: 'acknowledged', ack: { by, at: NOW, ...(note ? { note } : {}) } });
      },
      display,
    },
    incidents: {
      active: () => (world.incident.status === 'resolved' ? [] : [world.incident]),
      recent: () => (world.incident.status === 'resolved' ? [world.incident] : []),
      get: (id) => (id === world.incident.id ? world.incident : undefined),
      acknowledge: (id, by) => {
        for (const a of world.active) if (a.incidentId === id && a.status === 'firing') Object.assign(a, { status: 'acknowledged', ack: { by, at: NOW } });
        return Object.assign(world.incident, { status: 'acknowledged', ack: { by, at: NOW } });
      },
    },
    health: () => ({ status: 'ok' }),
    token: new Secret(TOKEN),
    now: () => NOW,
  };
}

async function serve(overrides: Partial<ApiDeps> = {}): Promise<void> {
  if (app?.server.listening) await app.close();
  app = buildApp({ ...deps(), ...overrides });
  app.addHook('onRequest', (request, _reply, done) => {
    requests.push(`${request.method} ${request.url}`);
    bearers.push(request.headers.authorization);
    done();
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}

beforeEach(async () => {
  world = room();
  requests = [];
  bearers = [];
  silenceStore = [];
  vi.stubEnv('ROOMWATCH_API_TOKEN', TOKEN);
  vi.stubEnv('TZ', 'Asia/Shanghai');
  vi.stubEnv('ROOMWATCH_CONFIG', '');
  await serve();
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await app.close();
});

/** Runs a command's function as `roomwatch ...` would, capturing what it prints. */
async function captured(run: () => Promise<number>): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  try {
    const code = await run();
    return { code, out: out.join('').replace(/\n$/, '').split('\n'), err: err.join('') };
  } finally {
    vi.restoreAllMocks();
  }
}

/** `roomwatch alerts ARGS --api <the app>`. */
const roomwatchAlerts = (...args: string[]) => captured(() => alertsCommand([...args, '--api', url]));

describe('roomwatch alerts', () => {
  it('lists the incident first with its alerts indented under it, then the other alerts (zh-CN)', async () => {
    const { code, out } = await roomwatchAlerts('--lang', 'zh-CN');
    expect(code).toBe(0);
    expect(out).toEqual([
      `事件 7c1e09ab42  紧急  进行中  省公司 / 三楼主机房 市电中断  开始于 ${SINCE}  (5 条告警)`,
      `  起因: aaaaaaaaa1  紧急  告警中  1号UPS (ups-1)  UPS 电池供电  当前状态 电池供电  开始于 ${SINCE}`,
      `  起因: aaaaaaaaa2  紧急  已确认（李工）  ups-2  UPS 电池供电  当前状态 电池供电  开始于 ${SINCE}`,
      `  ccccccccc1  重要  告警中 [频繁波动中]  crac-1  精密空调告警  当前状态 正常（阈值 ≥ 1 持续 3 次轮询）  开始于 ${SINCE}`,
      `  eeeeeeeee1  次要  已恢复 [恢复原因: 条件消失]  meter-1{phase=1}  相电压低  当前值 221 V（阈值 < 198 V）  开始于 ${SINCE}`,
      '  fffffffff1  (已不在最近告警中)',
      '其他告警:',
      `8adef1bcde  紧急  告警中 [已锁存，待确认]  leak-1  检测到漏水  当前状态 无水  开始于 ${SINCE}`,
    ]);
  });

  it('lists the same in English', async () => {
    const { out } = await roomwatchAlerts('--lang', 'en');
    expect(out).toEqual([
      `incident 7c1e09ab42  critical  open  省公司 / 三楼主机房 mains failure  since ${SINCE}  (5 alerts)`,
      `  cause: aaaaaaaaa1  critical  firing  1号UPS (ups-1)  UPS on battery  state on battery  since ${SINCE}`,
      `  cause: aaaaaaaaa2  critical  acknowledged by 李工  ups-2  UPS on battery  state on battery  since ${SINCE}`,
      `  ccccccccc1  major  firing [flapping]  crac-1  Precision AC alarm  state normal (threshold ≥ 1 for 3 polls)  since ${SINCE}`,
      `  eeeeeeeee1  minor  resolved [resolved: condition cleared]  meter-1{phase=1}  Phase voltage low  value 221 V (threshold < 198 V)  since ${SINCE}`,
      '  fffffffff1  (no longer among recent alerts)',
      'other alerts:',
      `8adef1bcde  critical  firing [latched, awaiting acknowledgement]  leak-1  Water leak detected  state dry  since ${SINCE}`,
    ]);
  });

  it('speaks both languages by default, and shows raw values when the daemon gives no display', async () => {
    await serve({ alerts: { ...deps().alerts, display: undefined } });
    const { out } = await roomwatchAlerts();
    expect(out[0]).toBe(`事件 / incident 7c1e09ab42  紧急/critical  进行中 / open  省公司 / 三楼主机房 市电中断 / mains failure  开始于 / since ${SINCE}  (5 条告警 / 5 alerts)`);
    expect(out[3]).toBe(`  ccccccccc1  重要/major  告警中 / firing [频繁波动中 / flapping]  crac-1  精密空调告警 / Precision AC alarm  value=0 (= 1)  开始于 / since ${SINCE}`);
    expect(out.at(-1)).toBe(`8adef1bcde  紧急/critical  告警中 / firing [已锁存，待确认 / latched, awaiting acknowledgement]  leak-1  检测到漏水 / Water leak detected  value=0 (= 1)  开始于 / since ${SINCE}`);
  });

  it('lists only alerts, with no heading, from a daemon without incident routes', async () => {
    await serve({ incidents: undefined });
    const { code, out } = await roomwatchAlerts('--lang', 'en');
    expect(code).toBe(0);
    expect(out.map((l) => l.slice(0, 10))).toEqual(['aaaaaaaaa1', 'aaaaaaaaa2', 'ccccccccc1', '8adef1bcde']);
  });

  it('adds what resolved lately with --recent, with the reason it resolved', async () => {
    world.incident = { ...world.incident, status: 'resolved', resolvedAt: NOW - 1_000 };
    world.active = world.active.filter((a) => a.device === 'leak-1');
    const { out } = await roomwatchAlerts('--lang', 'en', '--recent');
    expect(out[0]).toMatch(/^8adef1bcde {2}critical {2}firing \[latched/);
    expect(out[1]).toBe('recently resolved:');
    // Its UPS alerts are no longer held: the place is named by its ids.
    expect(out[2]).toMatch(/^incident 7c1e09ab42 {2}critical {2}resolved {2}bj1 \/ a mains failure/);
    expect(out).toContain(`  eeeeeeeee1  minor  resolved [resolved: condition cleared]  meter-1{phase=1}  Phase voltage low  value 221 V (threshold < 198 V)  since ${SINCE}`);
  });

  it('gives both lists, incidents and alerts, with --json', async () => {
    const { out } = await roomwatchAlerts('--json');
    const parsed = JSON.parse(out.join('\n')) as { incidents: { active: Incident[]; recent: Incident[] }; alerts: { active: Array<Alert & { display: AlertDisplay }>; recent: Alert[] } };
    expect(parsed.incidents).toEqual({ active: [world.incident], recent: [] });
    expect(parsed.alerts.active.map((a) => [a.id, a.display.en.value])).toEqual([['aaaaaaaaa1', 'on battery'], ['aaaaaaaaa2', 'on battery'], ['ccccccccc1', 'normal'], ['8adef1bcde', 'dry']]);
    expect(parsed.alerts.recent.map((a) => a.id)).toEqual(['eeeeeeeee1']);
  });

  it('says there is nothing when nothing is active', async () => {
    world.active = [];
    world.incident = { ...world.incident, status: 'resolved' };
    expect((await roomwatchAlerts('--lang', 'zh-CN')).out).toEqual(['没有活动告警']);
  });
});

describe('roomwatch alerts show', () => {
  it('shows an alert in full', async () => {
    const { code, out } = await roomwatchAlerts('show', 'eeeeeeeee1', '--lang', 'en');
    expect(code).toBe(0);
    expect(out).toEqual([
      'alert eeeeeeeee1  minor  resolved [resolved: condition cleared]',
      '  Phase voltage low',
      '  device: meter-1{phase=1}  rule: phase_voltage_low',
      '  value 221 V (threshold < 198 V)',
      `  since ${SINCE}`,
      '  incident: 7c1e09ab42  (roomwatch alerts show 7c1e09ab42)',
      '  resolved at 2026-12-02 10:59:55 +08:00',
      '  reading: voltage (phase=2) 219.5 V',
    ]);
    expect(requests).toEqual(['GET /api/alerts/eeeeeeeee1']);
  });

  it('shows the condition alone when the alert has no value', async () => {
    const noValue = alert('bbbbbbbbb1', 'ups-9', { rule: 'comms_lost', severity: 'major', summary: { en: 'Device not answering', 'zh-CN': '设备无应答' } });
    delete noValue.value;
    world.active.push(noValue);
    const zh = await roomwatchAlerts('show', 'bbbbbbbbb1', '--lang', 'zh-CN');
    expect(zh.out.slice(0, 4)).toEqual(['告警 bbbbbbbbb1  重要  告警中', '  设备无应答', '  设备: ups-9  规则: comms_lost', '  阈值 连续 3 次轮询无应答']);
    expect((await roomwatchAlerts('show', 'bbbbbbbbb1', '--lang', 'en')).out[3]).toBe('  threshold no answer for 3 polls');
  });

  it('shows an incident when the id is no alert’s, with what to do and its alerts', async () => {
    const { code, out } = await roomwatchAlerts('show', '7c1e09ab42', '--lang', 'zh-CN');
    expect(code).toBe(0);
    expect(out.slice(0, 5)).toEqual([`事件 7c1e09ab42  紧急  进行中  省公司 / 三楼主机房 市电中断  开始于 ${SINCE}  (5 条告警)`, '  处置建议:', '    1. 确认市电与发电机', '  相关告警:', `    起因: aaaaaaaaa1  紧急  告警中  1号UPS (ups-1)  UPS 电池供电  当前状态 电池供电  开始于 ${SINCE}`]);
    expect(out).toHaveLength(9);
    expect(requests).toEqual(['GET /api/alerts/7c1e09ab42', 'GET /api/incidents/7c1e09ab42']);
  });

  it('shows who took an incident on, and their note', async () => {
    world.incident = { ...world.incident, status: 'acknowledged', ack: { by: '张工', at: NOW - 1_000, note: '发电机已启动' }, notes: [{ by: '张工', at: NOW - 1_000, text: '发电机已启动' }] };
    const { out } = await roomwatchAlerts('show', '7c1e09ab42', '--lang', 'en');
    expect(out.slice(0, 5)).toEqual([
      `incident 7c1e09ab42  critical  acknowledged by 张工  省公司 / 三楼主机房 mains failure  since ${SINCE}  (5 alerts)`,
      '  acknowledged: 张工 2026-12-02 10:59:59 +08:00 — 发电机已启动',
      '  what to do:',
      '    1. Check the mains and the generator',
      '  note: 张工 2026-12-02 10:59:59 +08:00 — 发电机已启动',
    ]);
  });

  it('exits 1 naming the id when it is neither, and 2 without an id', async () => {
    const missing = await roomwatchAlerts('show', '0123456789');
    expect([missing.code, missing.err]).toEqual([1, 'roomwatch alerts show: 404 no alert or incident 0123456789 among the active and recent ones\n']);
    const bad = await roomwatchAlerts('show', 'xyz');
    expect([bad.code, bad.err]).toEqual([1, 'roomwatch alerts show: 400 params.id: an alert id is 10 hexadecimal digits, e.g. 3f9c2a1b07\n']);
    expect((await roomwatchAlerts('show')).code).toBe(2);
  });
});

describe('roomwatch alerts ack', () => {
  it('acknowledges an alert through the alert route', async () => {
    const { code, out } = await roomwatchAlerts('ack', '8adef1bcde', '--by', '张工', '--note', '已到现场', '--lang', 'en');
    expect(code).toBe(0);
    expect(out[0]).toBe('acknowledged 8adef1bcde as 张工');
    expect(out[1]).toMatch(/^8adef1bcde {2}critical {2}acknowledged by 张工 \[latched, awaiting acknowledgement\]/);
    expect(requests).toEqual(['POST /api/alerts/8adef1bcde/ack']);
  });

  it('acknowledges an incident and its active alerts when the id is an incident’s', async () => {
    const { code, out } = await roomwatchAlerts('ack', '7c1e09ab42', '--by', '张工', '--lang', 'zh-CN');
    expect(code).toBe(0);
    expect(requests).toEqual(['POST /api/alerts/7c1e09ab42/ack', 'POST /api/incidents/7c1e09ab42/ack']);
    expect(out.slice(0, 4)).toEqual([
      '已确认 7c1e09ab42（张工）',
      `事件 7c1e09ab42  紧急  已确认（张工）  省公司 / 三楼主机房 市电中断  开始于 ${SINCE}  (5 条告警)`,
      `  起因: aaaaaaaaa1  紧急  已确认（张工）  1号UPS (ups-1)  UPS 电池供电  当前状态 电池供电  开始于 ${SINCE}`,
      `  起因: aaaaaaaaa2  紧急  已确认（李工）  ups-2  UPS 电池供电  当前状态 电池供电  开始于 ${SINCE}`,
    ]);
  });

  it('refuses without the token, and says when the id is neither an active alert nor an incident', async () => {
    vi.stubEnv('ROOMWATCH_API_TOKEN', 'wrong');
    const refused = await roomwatchAlerts('ack', '8adef1bcde', '--by', '张工');
    expect([refused.code, refused.err]).toEqual([1, 'roomwatch alerts ack: 401 missing or wrong token: send "Authorization: Bearer <api.token>" (token from ROOMWATCH_API_TOKEN)\n']);
    vi.stubEnv('ROOMWATCH_API_TOKEN', TOKEN);
    const missing = await roomwatchAlerts('ack', '0123456789', '--by', '张工');
    expect([missing.code, missing.err]).toEqual([1, 'roomwatch alerts ack: 404 no active alert or incident 0123456789\n']);
  });
});

describe('roomwatch alerts: times and credentials', () => {
  it('prints times in the machine’s zone, and sends the token on reads too', async () => {
    vi.stubEnv('TZ', 'UTC');
    const { out } = await roomwatchAlerts('--lang', 'en');
    expect(out.at(-1)).toMatch(/ {2}since 2026-12-02 02:58:00 \+00:00$/);
    expect(requests).toEqual(['GET /api/alerts', 'GET /api/incidents']);
    expect(bearers).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it('refuses an option that is not the action’s, and an unknown action', async () => {
    const foreign = await roomwatchAlerts('show', '8adef1bcde', '--for', '2h');
    expect([foreign.code, foreign.err.split('\n')[0]]).toEqual([2, 'roomwatch alerts: show: --for is not an option of this action']);
    const unknown = await roomwatchAlerts('mute');
    expect([unknown.code, unknown.err.split('\n')[0]]).toEqual([2, 'roomwatch alerts: unknown action "mute"']);
    expect(requests).toEqual([]);
  });
});

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
    contract.post<{ Params: { id: string }; Body: { by?: string; note?: string } }>('/api/alerts/:id/ack', async (request) => {
      ackBodies.push(request.body);
      const leak = world.active.find((a) => a.id === request.params.id)!;
      return { ...leak, status: 'acknowledged', ack: { by: request.body.by ?? 'api.token', at: NOW } };
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

describe('where roomwatch alerts finds the API', () => {
  /** A configuration whose api section points at the test app, the token in $RW_CLI_TOKEN. */
  function configFile(api: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'alerts-cli-config-'));
    const file = join(dir, 'roomwatch.yaml');
    writeFileSync(file, `influxdb: { url: "http://127.0.0.1:8086", database: x }\napi:\n${api}\nsites: []\ndevices: []\n`);
    return file;
  }
  const listen = () => new URL(url).host;

  it('takes api.listen and api.token from --config, or from $ROOMWATCH_CONFIG', async () => {
    vi.stubEnv('ROOMWATCH_API_TOKEN', '');
    vi.stubEnv('RW_CLI_TOKEN', TOKEN);
    const file = configFile(`  listen: "${listen()}"\n  token: { env: RW_CLI_TOKEN }`);
    const viaFlag = await captured(() => alertsCommand(['ack', '8adef1bcde', '--by', '张工', '--config', file, '--lang', 'en']));
    expect([viaFlag.code, viaFlag.out[0]]).toEqual([0, 'acknowledged 8adef1bcde as 张工']);
    vi.stubEnv('ROOMWATCH_CONFIG', file);
    const viaEnv = await captured(() => alertsCommand(['--lang', 'en']));
    expect(viaEnv.code).toBe(0);
    expect(bearers).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it('reads a token file relative to the configuration, and lets ROOMWATCH_API_TOKEN and --api win', async () => {
    const file = configFile('  listen: "127.0.0.1:1"\n  token: { file: secrets/api-token }');
    mkdirSync(join(dirname(file), 'secrets'));
    writeFileSync(join(dirname(file), 'secrets', 'api-token'), 'from-the-file\n');
    vi.stubEnv('ROOMWATCH_API_TOKEN', '');
    expect(apiTarget({ config: file })).toEqual({ base: 'http://127.0.0.1:1', baseFrom: `${file} (api.listen)`, token: 'from-the-file', tokenFrom: `${join(dirname(file), 'secrets', 'api-token')} (api.token in ${file})` });
    expect(apiTarget({ config: file, api: 'http://10.0.0.5:8080/' }, { ROOMWATCH_API_TOKEN: 'from-env' })).toMatchObject({ base: 'http://10.0.0.5:8080', baseFrom: '--api', token: 'from-env', tokenFrom: 'ROOMWATCH_API_TOKEN' });
  });

  it('finds ./roomwatch.yaml, speaks https when api.tls is set, and reaches a wildcard listener on loopback', () => {
    const file = configFile('  listen: "0.0.0.0:8443"\n  tls: { cert_file: c.pem, key_file: k.pem }\n  token: inline-token-000');
    expect(apiTarget({}, {}, dirname(file))).toMatchObject({ base: 'https://127.0.0.1:8443', baseFrom: 'roomwatch.yaml (api.listen)', token: 'inline-token-000' });
    expect(apiTarget({}, {}, tmpdir())).toMatchObject({ base: 'http://127.0.0.1:8080', baseFrom: expect.stringMatching(/^the default address/) });
    expect(() => apiTarget({ config: join(tmpdir(), 'no-such-roomwatch.yaml') })).toThrow(/^cannot read the configuration: .*no-such-roomwatch\.yaml:1:1: \(document\): cannot read the file: ENOENT/);
  });

  it('says where it looked for the API and why it could not reach it', async () => {
    await app.close();
    await expect(roomwatchAlerts()).rejects.toThrow(`cannot reach the roomwatch API at ${url} (from --api): connect ECONNREFUSED ${listen()}; is "roomwatch run" listening there? (--api URL or --config FILE)`);
    const file = configFile(`  listen: "${listen()}"`);
    await expect(captured(() => alertsCommand(['--config', file]))).rejects.toThrow(`cannot reach the roomwatch API at ${url} (from ${file} (api.listen)): connect ECONNREFUSED`);
  });

  it('explains a 401 by the variable the configuration names when it is not set', async () => {
    vi.stubEnv('ROOMWATCH_API_TOKEN', '');
    vi.stubEnv('RW_CLI_TOKEN', '');
    const file = configFile(`  listen: "${listen()}"\n  token: { env: RW_CLI_TOKEN }`);
    const refused = await captured(() => alertsCommand(['ack', '8adef1bcde', '--by', '张工', '--config', file]));
    expect([refused.code, refused.err]).toEqual([1, `roomwatch alerts ack: 401 missing or wrong token: send "Authorization: Bearer <api.token>" (token from nowhere: api.token in ${file} is $RW_CLI_TOKEN, which is not set here)\n`]);
  });
});
