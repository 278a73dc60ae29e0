import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Alert } from '../../alerting/alerts.js';
import type { Silence } from '../../alerting/core/mute.js';
import type { Incident } from '../../alerting/incidents/incident.js';
import { buildApp, type ApiDeps } from '../../api/app.js';
import type { AlertDisplay } from '../../api/routes/alerts.js';
import { alertsCommand } from '../../cli/alerts.js';
import { Secret } from '../../common/config/secret.js';

// `roomwatch alerts` against the real API on loopback (fake engine lists behind it): what an
// engineer reads in the terminal, through the same response schemas the daemon serializes with.
export const NOW = Date.parse('2026-12-02T03:00:00Z');
export const TOKEN = 'cli-test-token-1234';
// Times print in the machine's zone (TZ): Beijing here.
export const SINCE = '2026-12-02 10:58:00 +08:00';

export function alert(id: string, device: string, overrides: Partial<Alert>): Alert {
  return {
    id, key: `${device}|${overrides.rule ?? 'rule'}`, rule: 'rule', severity: 'critical', summary: { en: '?', 'zh-CN': '?' }, source: 'template', device,
    labels: {}, status: 'firing', flapping: false, value: 1, threshold: '= 1', measurement: 'm', field: 'f', firingSince: NOW - 120_000, notes: [], tiers: [0],
    ...overrides,
  };
}

/** One room's mains failure: two UPSes on battery, a flapping CRAC alarm and a meter that recovered, folded in; a latched leak apart. */
export function room() {
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
export function display(a: Alert): AlertDisplay {
  if (a.rule === 'ups_on_battery') return { en: { value: 'on battery', threshold: '= on battery', state: true, byState: true }, 'zh-CN': { value: '电池供电', threshold: '= 电池供电', state: true, byState: true } };
  if (a.rule === 'phase_voltage_low') return { en: { value: `${String(a.value)} V`, threshold: '< 198 V', state: false, byState: false }, 'zh-CN': { value: `${String(a.value)} V`, threshold: '< 198 V', state: false, byState: false } };
  if (a.rule === 'comms_lost') return { en: { threshold: 'no answer for 3 polls', state: false, byState: false }, 'zh-CN': { threshold: '连续 3 次轮询无应答', state: false, byState: false } };
  if (a.rule === 'water_leak') return { en: { value: 'dry', threshold: '= leak detected', state: true, byState: true }, 'zh-CN': { value: '无水', threshold: '= 检测到漏水', state: true, byState: true } };
  // A threshold on a point whose values are named: a state, with its condition still worth saying.
  return { en: { value: a.value === 0 ? 'normal' : 'alarm', threshold: '≥ 1 for 3 polls', state: true, byState: false }, 'zh-CN': { value: a.value === 0 ? '正常' : '告警', threshold: '≥ 1 持续 3 次轮询', state: true, byState: false } };
}

export let app: FastifyInstance;
export let url = '';
export let world: ReturnType<typeof room>;
export let requests: string[];
export let bearers: Array<string | undefined>;
export let silenceStore: Silence[];

export function deps(): ApiDeps {
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

export async function serve(overrides: Partial<ApiDeps> = {}): Promise<void> {
  if (app?.server.listening) await app.close();
  app = buildApp({ ...deps(), ...overrides });
  app.addHook('onRequest', (request, _reply, done) => {
    requests.push(`${request.method} ${request.url}`);
    bearers.push(request.headers.authorization);
    done();
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}

/** A fresh room, token and zone (Beijing) before each test, the API on loopback; closed after. */
export function useAlertsApiBed(): void {
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
}

/** Runs a command's function as `roomwatch ...` would, capturing what it prints. */
export async function captured(run: () => Promise<number>): Promise<{ code: number; out: string[]; err: string }> {
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
export const roomwatchAlerts = (...args: string[]) => captured(() => alertsCommand([...args, '--api', url]));
