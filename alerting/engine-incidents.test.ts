import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { AlertEventRecord } from '../common/contracts/alert-event.js';
import { pino } from 'pino';
import { AlertEngine } from './engine.js';
import { MIN, boss, config, duty, engine, keepPolling, poll, start, useEngineBed } from '../test/helpers/engine-bed.js';

useEngineBed();

// One room (r1) with a UPS, an incomer meter and a CRAC; the mains failure is the UPS on battery
// (output_source 5), and what it explains includes the CRAC losing power.
const CRAC = '  - { id: crac-1, name: 1号精密空调, site: s1, room: r1, template: crac-modbus-generic, modbus: { transport: tcp, host: 10.0.0.4 } }';
const ON_BATTERY = { 'ups.output_source': 5 };
const CRAC_DOWN = { 'crac.alarm_power_loss': 1 };

/** Each message's alerts as rule:status, with the incident label they carry. */
const messages = () => duty.sent.map((m) => m.body.alerts.map((a) => `${a.labels.alertname}:${a.status}${a.labels.incident ? ` [${a.labels.incident}]` : ''}`));

describe('AlertEngine incidents', () => {
  it.each([
    ['0.3 s', 300],
    ['9 s', 9_000],
  ])('folds a CRAC alarm that opened %s before the UPS went on battery: one message, headed by the incident', async (_ahead, aheadMs) => {
    const cfg = config('', CRAC);
    start(cfg);
    engine.onPoll(poll(cfg, 'crac-1', CRAC_DOWN));
    await vi.advanceTimersByTimeAsync(aheadMs);
    engine.onPoll(poll(cfg, 'ups-1', ON_BATTERY));
    keepPolling(cfg, { 'crac-1': CRAC_DOWN, 'ups-1': ON_BATTERY, 'meter-1': {} });
    await vi.advanceTimersByTimeAsync(2 * MIN);
    const [incident] = engine.incidents().active();
    expect(incident).toMatchObject({ type: 'mains_failure', scope: { level: 'room', site: 's1', room: 'r1' }, severity: 'critical', told: ['duty'] });
    expect(messages()).toEqual([[`ups_on_battery:firing [${incident!.id}]`, `crac_power_loss:firing [${incident!.id}]`]]);
    expect(incident!.members.map((m) => [m.role, m.listed, m.reattributed])).toEqual([['opener', true, undefined], ['member', true, undefined]]);
    expect(engine.incident(incident!.id)!.alerts.map((a) => a.rule)).toEqual(['ups_on_battery', 'crac_power_loss']);
  });

  it('re-attributes a CRAC alarm already sent alone (its hold ran out) in the incident message', async () => {
    const cfg = config('', CRAC);
    start(cfg);
    engine.onPoll(poll(cfg, 'crac-1', CRAC_DOWN));
    keepPolling(cfg, { 'crac-1': CRAC_DOWN, 'meter-1': {}, 'ups-1': {} });
    // hold is auto: twice the room's 10 s poll interval.
    await vi.advanceTimersByTimeAsync(19_000);
    expect(duty.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(41_000);
    expect(messages()).toEqual([['crac_power_loss:firing']]);
    engine.onPoll(poll(cfg, 'ups-1', ON_BATTERY));
    keepPolling(cfg, { 'ups-1': ON_BATTERY });
    await vi.advanceTimersByTimeAsync(MIN);
    const [incident] = engine.incidents().active();
    expect(messages()).toEqual([['crac_power_loss:firing'], [`ups_on_battery:firing [${incident!.id}]`, `crac_power_loss:firing [${incident!.id}]`]]);
    expect(incident!.members[1]).toMatchObject({ role: 'member', reattributed: true, listed: true });
  });

  it('sends one recovery for the incident, only after settle, listing its alerts, and none of its alerts alone', async () => {
    const cfg = config('', CRAC);
    start(cfg);
    const ups = { ...ON_BATTERY };
    const crac = { ...CRAC_DOWN };
    keepPolling(cfg, { 'ups-1': ups, 'crac-1': crac, 'meter-1': {} });
    await vi.advanceTimersByTimeAsync(MIN);
    const [incident] = engine.incidents().active();
    expect(messages()).toHaveLength(1);
    ups['ups.output_source'] = 3;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(incident!.status).toBe('settling');
    crac['crac.alarm_power_loss'] = 0;
    await vi.advanceTimersByTimeAsync(MIN);
    // settle (2m) is not over: the room may still be coming back.
    expect(messages()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(incident!.status).toBe('resolved');
    expect(engine.incidents().recent()).toEqual([incident]);
    expect(messages()).toEqual([
      [`ups_on_battery:firing [${incident!.id}]`, `crac_power_loss:firing [${incident!.id}]`],
      [`ups_on_battery:resolved [${incident!.id}]`, `crac_power_loss:resolved [${incident!.id}]`],
    ]);
  });

  it('lists an alert still firing at the recovery as such, and from then on it escalates on its own', async () => {
    const cfg = config('', CRAC);
    start(cfg);
    const ups = { ...ON_BATTERY };
    keepPolling(cfg, { 'ups-1': ups, 'crac-1': CRAC_DOWN, 'meter-1': {} });
    await vi.advanceTimersByTimeAsync(MIN);
    ups['ups.output_source'] = 3;
    await vi.advanceTimersByTimeAsync(3 * MIN);
    const id = engine.incidents().recent()[0]!.id;
    expect(messages()[1]).toEqual([`ups_on_battery:resolved [${id}]`, `crac_power_loss:firing [${id}]`]);
    // escalate_after is 15 min from the CRAC's start; while in the incident it was not escalated alone.
    expect(engine.book.active().find((a) => a.rule === 'crac_power_loss')).toMatchObject({ incidentId: id, tiers: [] });
    await vi.advanceTimersByTimeAsync(12 * MIN);
    expect(engine.book.active().find((a) => a.rule === 'crac_power_loss')!.tiers).toEqual([1]);
  });

  it('keeps the recovery of an alert still active after its incident resolved silent, across journal rotations and a restart', async () => {
    const cfg = config('', CRAC);
    start(cfg, 1);
    const ups = { ...ON_BATTERY };
    const crac = { ...CRAC_DOWN };
    keepPolling(cfg, { 'ups-1': ups, 'crac-1': crac, 'meter-1': {} });
    await vi.advanceTimersByTimeAsync(MIN);
    ups['ups.output_source'] = 3;
    await vi.advanceTimersByTimeAsync(3 * MIN);
    expect(messages()).toHaveLength(2);
    await engine.stop();
    vi.clearAllTimers();
    start(cfg, 1);
    keepPolling(cfg, { 'ups-1': ups, 'crac-1': crac, 'meter-1': {} });
    crac['crac.alarm_power_loss'] = 0;
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.alerts().recent()[0]).toMatchObject({ rule: 'crac_power_loss', status: 'resolved', told: ['duty'] });
    expect(duty.sent).toEqual([]);
  });

  it('escalates an unacknowledged incident once as one message, and acknowledging it acknowledges its alerts', async () => {
    const cfg = config('', CRAC);
    start(cfg);
    keepPolling(cfg, { 'ups-1': ON_BATTERY, 'crac-1': CRAC_DOWN, 'meter-1': {} });
    await vi.advanceTimersByTimeAsync(16 * MIN);
    const [incident] = engine.incidents().active();
    expect(incident!.tiers).toEqual([1]);
    expect(boss.sent.map((m) => m.body.alerts.map((a) => a.labels.alertname))).toEqual([['ups_on_battery', 'crac_power_loss']]);
    expect(engine.acknowledgeIncident(incident!.id, '李工', '发电机已启动')).toMatchObject({ status: 'acknowledged', ack: { by: '李工' } });
    expect(engine.book.active().map((a) => [a.rule, a.status])).toEqual([['ups_on_battery', 'acknowledged'], ['crac_power_loss', 'acknowledged']]);
    expect(engine.acknowledgeIncident(incident!.id, '王工')).toEqual({ error: `incident ${incident!.id} was already acknowledged by 李工` });
    // repeat_interval is 30 min: an acknowledged incident is not sent again.
    await vi.advanceTimersByTimeAsync(40 * MIN);
    expect(messages()).toHaveLength(1);
  });

  it('sends nothing for an explained alert that cleared while it waited for its incident', async () => {
    const cfg = config('', CRAC);
    start(cfg);
    engine.onPoll(poll(cfg, 'crac-1', CRAC_DOWN));
    // Past group_wait (10 s), within hold (20 s): alone, it would have gone out by now.
    await vi.advanceTimersByTimeAsync(15_000);
    engine.onPoll(poll(cfg, 'crac-1', { 'crac.alarm_power_loss': 0 }));
    await vi.advanceTimersByTimeAsync(35_000);
    expect(engine.alerts().recent().map((a) => [a.rule, a.told])).toEqual([['crac_power_loss', []]]);
    expect(duty.sent).toEqual([]);
  });

  it('folds stale data into the comms loss when the device stops answering first', async () => {
    const cfg = config();
    start(cfg);
    engine.onPoll(poll(cfg, 'meter-1', {}));
    for (let i = 0; i < 9; i++) {
      await vi.advanceTimersByTimeAsync(10_000);
      engine.onPoll(poll(cfg, 'meter-1', {}, false));
    }
    await vi.advanceTimersByTimeAsync(MIN);
    const [incident] = engine.incidents().active();
    expect(incident).toMatchObject({ type: 'comms_lost', scope: { level: 'device', device: 'meter-1' }, category: 'communication' });
    expect(engine.book.active().map((a) => [a.rule, a.incidentId])).toEqual([['device_comms_lost', incident!.id], ['device_data_stale', incident!.id]]);
    expect(messages()).toEqual([[`device_comms_lost:firing [${incident!.id}]`]]);
  });

  it('re-attributes stale data sent alone (a hung poll) to the comms loss that follows', async () => {
    const cfg = config();
    start(cfg);
    engine.onPoll(poll(cfg, 'meter-1', {}));
    // No poll comes back at all for a while: stale, and after its hold, sent alone.
    await vi.advanceTimersByTimeAsync(90_000);
    expect(messages()).toEqual([['device_data_stale:firing']]);
    for (let i = 0; i < 3; i++) {
      engine.onPoll(poll(cfg, 'meter-1', {}, false));
      await vi.advanceTimersByTimeAsync(10_000);
    }
    await vi.advanceTimersByTimeAsync(20_000);
    const [incident] = engine.incidents().active();
    expect(messages()).toEqual([['device_data_stale:firing'], [`device_comms_lost:firing [${incident!.id}]`, `device_data_stale:firing [${incident!.id}]`]]);
    expect(incident!.members[1]).toMatchObject({ key: 'device_data_stale|meter-1', reattributed: true });
  });

  it('keeps the incident across a restart and journal rotations, and sends no second incident message; its recovery still goes out once', async () => {
    const cfg = config('', CRAC);
    start(cfg, 1);
    const ups = { ...ON_BATTERY };
    const crac = { ...CRAC_DOWN };
    keepPolling(cfg, { 'ups-1': ups, 'crac-1': crac, 'meter-1': {} });
    await vi.advanceTimersByTimeAsync(MIN);
    const before = engine.incidents().active()[0]!;
    expect(messages()).toHaveLength(1);
    await engine.stop();
    vi.clearAllTimers();
    start(cfg, 1);
    keepPolling(cfg, { 'ups-1': ups, 'crac-1': crac, 'meter-1': {} });
    await vi.advanceTimersByTimeAsync(MIN);
    expect(engine.incidents().active()).toEqual([before]);
    expect(engine.book.active().map((a) => a.incidentId)).toEqual([before.id, before.id]);
    expect(duty.sent).toHaveLength(0);
    ups['ups.output_source'] = 3;
    crac['crac.alarm_power_loss'] = 0;
    await vi.advanceTimersByTimeAsync(4 * MIN);
    expect(messages()).toEqual([[`ups_on_battery:resolved [${before.id}]`, `crac_power_loss:resolved [${before.id}]`]]);
  });

  it('writes the incident as the one fault in alert_events: its own rows fault=incident, its alerts\' rows fault=member', async () => {
    const cfg = config('', CRAC);
    const rows: AlertEventRecord[] = [];
    const e = new AlertEngine({ config: cfg, log: pino({ level: 'silent' }), writeEvent: (r) => rows.push(r) });
    e.start();
    e.onPoll(poll(cfg, 'crac-1', CRAC_DOWN));
    await vi.advanceTimersByTimeAsync(300);
    e.onPoll(poll(cfg, 'ups-1', ON_BATTERY));
    await vi.advanceTimersByTimeAsync(MIN);
    await e.stop();
    const id = e.incidents().active()[0]!.id;
    // The room's rows (roomwatch's own alerts, its receivers being unreachable here, are not this fault).
    const opened = rows.filter((r) => r.tags.event === 'opened' && r.tags.room === 'r1');
    expect(opened.map((r) => [r.tags.rule, r.tags.fault, r.tags.incident]).sort()).toEqual([['crac_power_loss', 'member', id], ['mains_failure', 'incident', id], ['ups_on_battery', 'member', id]]);
    // The CRAC's row was held until it knew it was a member, and keeps the time it opened.
    expect(opened.find((r) => r.tags.rule === 'crac_power_loss')!.time + 300).toBe(opened.find((r) => r.tags.rule === 'mains_failure')!.time);
    expect(opened.filter((r) => r.tags.fault !== 'member')).toHaveLength(1);
  });
});

describe('AlertEngine incidents from an older journal', () => {
  it('opens the incident of an on-battery alert journaled before incidents, with what it was told, and sends no second message', async () => {
    const cfg = config('', CRAC);
    // As the version before incidents journaled them: the UPS sent (lastSentAt, no told), the CRAC folded by a note.
    const at = Date.now() - MIN;
    const old = (id: string, rule: string, device: string, extra: Record<string, unknown>) => ({
      id, key: `${rule}|${device}`, rule, severity: 'critical', summary: { en: rule, 'zh-CN': rule }, source: 'template', device, labels: {}, status: 'firing',
      flapping: false, value: 1, threshold: '= 1', measurement: 'm', field: 'f', firingSince: at, notes: [], tiers: [], ...extra,
    });
    const lines = [
      { t: 'alert', alert: old('aaaaaaaaaa', 'ups_on_battery', 'ups-1', { incident: 'mains_failure', explainedBy: 'mains_failure', lastSentAt: at + 10_000, value: 5, measurement: 'ups', field: 'output_source' }) },
      { t: 'alert', alert: old('bbbbbbbbbb', 'crac_power_loss', 'crac-1', { explainedBy: 'mains_failure', measurement: 'crac', field: 'alarm_power_loss', notes: [{ by: 'roomwatch', at, text: 'folded into mains_failure incident aaaaaaaaaa' }] }) },
    ];
    mkdirSync(cfg.alerting.stateDir, { recursive: true });
    writeFileSync(join(cfg.alerting.stateDir, 'journal.ndjson'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    start(cfg);
    keepPolling(cfg, { 'ups-1': ON_BATTERY, 'crac-1': CRAC_DOWN, 'meter-1': {} });
    await vi.advanceTimersByTimeAsync(MIN);
    const [incident] = engine.incidents().active();
    expect(incident).toMatchObject({ type: 'mains_failure', openedAt: at, told: ['*'], lastSentAt: at + 10_000 });
    expect(incident!.members.map((m) => [m.id, m.role])).toEqual([['aaaaaaaaaa', 'opener'], ['bbbbbbbbbb', 'member']]);
    expect(duty.sent).toHaveLength(0);
  });
});
