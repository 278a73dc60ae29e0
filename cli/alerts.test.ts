import { describe, expect, it, vi } from 'vitest';
import type { Alert } from '../alerting/alerts.js';
import type { Incident } from '../alerting/incidents/incident.js';
import type { AlertDisplay } from '../api/routes/alerts.js';
import { alert, deps, NOW, requests, bearers, roomwatchAlerts, serve, SINCE, TOKEN, useAlertsApiBed, world } from '../test/helpers/alerts-cli-bed.js';

// List, show and acknowledge: what an engineer reads in the terminal (test/helpers/alerts-cli-bed.ts).
useAlertsApiBed();

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
    expect([refused.code, refused.err]).toEqual([1, 'roomwatch alerts ack: 401 wrong token: it matches no api.users entry and not api.token (token from ROOMWATCH_API_TOKEN)\n']);
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
