import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Secret } from '../../common/config/secret.js';
import type { Alert } from '../alerts.js';
import { Directory } from '../notify/directory.js';
import type { Notifier, OutboundMessage } from '../notify/notifier.js';
import type { ReceiverSettings } from '../notify/registry.js';
import type { JournalRecord } from '../state/records.js';
import { NotificationRunner } from './runner.js';
import { Sender } from './sender.js';
import type { AlertView } from './stage.js';
import { RoomGatherer } from './stages/group.js';

const ROOMS: Record<string, string> = { 'ups-1': 'r1', 'th-2': 'r2' };
const alert = (id: string, device: string): Alert => ({
  id, key: `k-${id}`, rule: 'room_hot', severity: 'major', summary: { en: id, 'zh-CN': id }, source: 'test',
  device, labels: {}, status: 'firing', flapping: false, value: 31, threshold: '> 30', measurement: 'env',
  field: 'temperature', firingSince: 0, notes: [], tiers: [],
});

beforeEach(() => {
  vi.useFakeTimers({ now: 0, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function runner() {
  const sent: Array<[number, string[]]> = [];
  const duty: Notifier = {
    id: 'duty',
    send(message: OutboundMessage) {
      const body = (message as { body: { alerts: Array<{ fingerprint: string }> } }).body;
      sent.push([Date.now(), body.alerts.map((a) => a.fingerprint)]);
      return Promise.resolve();
    },
  };
  const journal: JournalRecord[] = [];
  const append = (...records: JournalRecord[]) => void journal.push(...records);
  const view: AlertView = {
    active: () => [], silences: () => [], maintenanceWindows: [], routes: [], receivers: ['duty'],
    device: (id) => ({ name: id, site: 's1', siteName: 'Site', room: ROOMS[id] ?? '-', roomName: 'Room', deviceType: 'x', category: '-', labels: {}, units: {} }),
  };
  const receivers = new Map<string, ReceiverSettings>([['duty', { id: 'duty', type: 'webhook', language: 'en', timeoutMs: 1_000, url: new Secret('http://127.0.0.1:9/') }]]);
  const log = pino({ level: 'silent' });
  const sender = new Sender({ notifier: () => duty, journal: { append }, now: Date.now, log });
  const r = new NotificationRunner({
    view, now: Date.now, wall: Date.now, journal: { append }, log, gatherer: new RoomGatherer(10_000), sender,
    rendering: { receivers, directory: new Directory({ devices: [], sites: [] }) },
  });
  return { r, sent, journal };
}

describe('notification runner', () => {
  it('keeps one timer, on the earliest group, and sends each group exactly group_wait after its first notice', async () => {
    const { r, sent } = runner();
    r.dispatch({ kind: 'opened', alert: alert('a', 'ups-1'), at: 0 }, 0);
    await vi.advanceTimersByTimeAsync(4_000);
    r.dispatch({ kind: 'opened', alert: alert('b', 'th-2'), at: 4_000 }, 0);
    r.dispatch({ kind: 'opened', alert: alert('c', 'ups-1'), at: 4_000 }, 0);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(5_999);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([[10_000, ['a', 'c']]]);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(sent).toEqual([[10_000, ['a', 'c']], [14_000, ['b']]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('on stop, queues what is still gathering (journaled) and waits for its delivery', async () => {
    const { r, sent, journal } = runner();
    r.dispatch({ kind: 'opened', alert: alert('a', 'ups-1'), at: 0 }, 0);
    await r.stop();
    expect(sent).toEqual([[0, ['a']]]);
    expect(journal.map((j) => j.t)).toEqual(['out', 'alert', 'done']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
