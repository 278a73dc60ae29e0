import type { FastifyInstance } from 'fastify';
import type { Alert } from '../../alerting/alerts.js';
import type { RoomwatchConfig } from '../../app/config/load.js';
import { healthReadings } from '../../collector/health.js';
import { LatestReadings } from '../../collector/latest.js';
import { downsamplePlan } from '../../collector/sink/downsample.js';
import type { PollOutcome } from '../../common/contracts/poll.js';
import { FaultHistoryStore } from '../../reports/faults/store.js';
import { influxQuery } from '../../reports/influx-query.js';
import { buildApp } from '../../api/app.js';
import type { ReloadDeps } from '../../api/routes/reload.js';
import { escalationOf } from '../../api/timeline.js';
import { Directory } from '../../alerting/notify/directory.js';
import { faultStatistics } from '../../reports/faults/daemon.js';
import { pino } from 'pino';
import { SEVERITIES } from '../../alerting/core/rule.js';
import { DaemonMetrics } from '../../common/metrics/daemon-metrics.js';
import { bearer, TEST_VIEWER } from './api-auth.js';

/** A poll as the scheduler hands it on: the device's readings, then its health readings. */
export function testPoll(outcome: Omit<PollOutcome, 'readings'> & { readings?: PollOutcome['readings'] }): PollOutcome {
  const full = { readings: [], ...outcome };
  return { ...full, readings: [...full.readings, ...healthReadings(full)] };
}

export interface TestApiOptions {
  config: RoomwatchConfig;
  active?: Alert[];
  recent?: Alert[];
  polls?: PollOutcome[];
  reload?: ReloadDeps;
  now?: () => number;
}

/**
 * The API wired as cli/run.ts wires it: the read model fed with the given polls, InfluxDB as the
 * configuration says (a real influxd, or a port nothing listens on), the store of the fault
 * statistics, routes' escalation from the configuration. The test viewer (bearer()) reads; the
 * configuration's api.token is the admin.
 */
export function testApi(options: TestApiOptions): FastifyInstance {
  const { config } = options;
  const latest = new LatestReadings(config.devices);
  for (const poll of options.polls ?? []) latest.record(poll);
  const active = options.active ?? [];
  const recent = options.recent ?? [];
  const store = new FaultHistoryStore(config.influx);
  const directory = new Directory(config);
  return buildApp({
    silences: { list: () => [], add: (input) => ({ ...input, id: 's1' }), expire: () => false },
    alerts: { active: () => active, recent: () => recent, alert: (id) => [...active, ...recent].find((a) => a.id === id), acknowledge: () => ({ error: 'no active alert' }) },
    incidents: { active: () => [], recent: () => [], get: () => undefined, acknowledge: () => ({ error: 'no incident' }) },
    reports: { faults: faultStatistics(config, pino({ level: 'silent' })).report },
    inventory: { sites: () => config.sites, devices: () => config.devices, place: (id) => directory.placeOf(id), latest: (id) => latest.get(id) },
    storage: { query: influxQuery({ ...config.influx, password: config.influx.password?.reveal() }), events: (f) => store.events(f), rawRetentionMs: config.influx.rawRetentionMs, aggregates: downsamplePlan(config.templates.values()), now: options.now ?? Date.now },
    escalation: (alert) => escalationOf(alert, { routes: config.alerting.routes, receivers: config.alerting.receivers.map((r) => r.id), device: (id) => directory.get(id) }),
    config: () => config,
    reload: options.reload ?? { check: () => ({ ok: true }), trigger: () => undefined },
    health: () => ({ status: 'ok' }),
    ready: () => ({ ready: true, checks: [{ name: 'configuration', ok: true }] }),
    metrics: new DaemonMetrics({ severities: SEVERITIES, states: ['firing', 'acknowledged'] }),
    token: config.api.token,
    users: [TEST_VIEWER],
  });
}

/** A GET as the test viewer sends it: every read route needs the viewer role. */
export function viewerGet(app: FastifyInstance, url: string) {
  return app.inject({ url, headers: bearer() });
}
