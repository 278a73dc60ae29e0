import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../alerting/alerts.js';
import { buildApp } from '../api/app.js';
import { Secret } from '../common/config/secret.js';
import { alertsCommand } from './alerts.js';

// `roomwatch alerts` against the real API on loopback (fake alerts behind it): what an engineer
// reads in the terminal, through the same response schema the daemon serializes with.
const NOW = Date.parse('2026-12-02T03:00:00Z');

function leak(overrides: Partial<Alert>): Alert {
  return {
    id: '8adef1bcde', key: 'water_leak|leak-1', rule: 'water_leak', severity: 'critical', summary: { en: 'Water leak detected', 'zh-CN': '检测到漏水' },
    source: 'template', device: 'leak-1', labels: {}, status: 'firing', flapping: false, value: 1, threshold: '= 1',
    measurement: 'leak', field: 'leak_detected', firingSince: NOW - 120_000, notes: [], tiers: [0], ...overrides,
  };
}

let app: FastifyInstance;
let url = '';
let active: Alert[] = [];

beforeEach(async () => {
  app = buildApp({
    silences: { list: () => [], add: (input) => ({ ...input, id: 's1' }), expire: () => false },
    alerts: { active: () => active, recent: () => [], alert: () => undefined, acknowledge: () => ({ error: 'no active alert with id 0123456789' }) },
    health: () => ({ status: 'ok', influxdb: { spooledPoints: 0 }, outbox: 0, traps: { received: 0 } }),
    token: new Secret('cli-test-token-1234'),
    now: () => NOW,
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await app.close();
});

async function listed(): Promise<string[]> {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  expect(await alertsCommand(['--api', url])).toBe(0);
  vi.restoreAllMocks();
  return out.join('').trim().split('\n');
}

describe('roomwatch alerts', () => {
  it('says which alert is latched: its condition cleared and it waits for an acknowledgement', async () => {
    active = [leak({ value: 0, latchedAt: NOW - 60_000 }), leak({ id: '0123456789', key: 'water_leak|leak-2', device: 'leak-2' })];
    const [latched, wet] = await listed();
    expect(latched).toMatch(/^8adef1bcde {2}紧急\/critical {2}firing \(条件已恢复，待确认后解除 \/ condition cleared, latched until acknowledged\) {2}leak-1 .* value=0 /);
    expect(wet).toMatch(/^0123456789 {2}紧急\/critical {2}firing {2}leak-2 .* value=1 /);
  });
});
