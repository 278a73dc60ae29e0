import type { Logger } from 'pino';
import { AlertEngine } from '../alerting/engine.js';
import { AlertStatusWriter } from '../alerting/status-writer.js';
import { Directory } from '../alerting/notify/directory.js';
import { TrapReceiver } from '../collector/drivers/snmp/traps.js';
import { buildApp } from '../api/app.js';
import { engineDeps } from '../api/engine-deps.js';
import { consoleDirs } from '../api/routes/console.js';
import { ChangeSignal } from '../api/routes/stream.js';
import { FailureLimiter } from '../api/failures.js';
import { SessionStore } from '../api/sessions.js';
import { PollerComponent, SinkComponent } from '../collector/collector.js';
import { downsamplePlan } from '../collector/sink/downsample.js';
import { displayNames } from '../collector/sink/names.js';
import { loadConfig, type RoomwatchConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';
import type { RoomwatchEvents } from '../common/contracts/events.js';
import { EventBus } from '../common/events.js';
import { ComponentStartError, StartFailed, startAll, type Component, type StartedComponents } from '../common/lifecycle.js';
import { createLogger } from '../common/log.js';
import { faultStatistics } from '../reports/faults/daemon.js';
import { SEVERITIES } from '../alerting/core/rule.js';
import { DaemonMetrics } from '../common/metrics/daemon-metrics.js';
import { PollPulse } from '../common/metrics/readiness.js';
import { metricSources, readinessOf, type ProbedParts } from './daemon-probes.js';
import { LatestReadings } from '../collector/latest.js';
import { influxQuery } from '../reports/influx-query.js';
import { escalationOf } from '../api/timeline.js';
import { reloadVerdict } from './reload-guard.js';
import { dailyInspection } from './inspection-daily.js';

interface Running {
  stop(): Promise<void>;
}

/** Survives reloads: whether the last SIGHUP's configuration was refused, and the console's logins. */
interface ReloadState {
  rejected: boolean;
  auth: { sessions: SessionStore; failures: FailureLimiter };
}

/**
 * `roomwatch run --config FILE`: the composition root. Validates everything first, then wires
 * collector → InfluxDB sink and collector → alerting engine (so alerts fire while InfluxDB is
 * down), the trap receiver and the API. SIGHUP reloads: a configuration with any problem, or one
 * that would move the spool, the alert journal, the API or trap listener or change the API token
 * (see reload-guard.ts), is refused (and raises config_reload_rejected) while the running one
 * carries on; a sound one replaces it, with alert state, outbox and spool carried over on disk.
 * SIGINT/SIGTERM stop.
 */
export async function runCommand(configFile: string): Promise<number> {
  const result = loadConfig(configFile);
  if (!result.ok) {
    for (const issue of result.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`${result.issues.length} problem(s) in the configuration; roomwatch did not start.\n`);
    return 1;
  }
  const log = createLogger(result.config.logLevel);
  logWarnings(log, result.config);
  process.on('unhandledRejection', (reason) => log.error({ err: String(reason) }, 'unhandled rejection (bug); roomwatch keeps running'));
  const reload: ReloadState = { rejected: false, auth: { sessions: new SessionStore(), failures: new FailureLimiter() } };
  const signals = listenForSignals();
  // POST /api/reload queues a reload like SIGHUP's, handled by the same loop.
  const requestReload = () => signals.push('reload');
  let current = result.config;
  // One registry for the process, across reloads: counters carry on, they do not restart at 0.
  const metrics = new DaemonMetrics({ severities: SEVERITIES, states: ['firing', 'acknowledged'] });
  let running: Running | undefined = await start(current, log, reload, metrics, requestReload);
  if (!running) return 1;

  for (;;) {
    const signal = await signals.next();
    if (signal !== 'SIGHUP' && signal !== 'reload') {
      log.info({ signal }, 'stopping');
      await running.stop();
      return 0;
    }
    const next = reloadVerdict(configFile, current);
    if (!next.ok && 'problems' in next) {
      reload.rejected = true;
      log.error({ problems: next.problems }, 'configuration reload rejected; still running the previous configuration');
      continue;
    }
    if (!next.ok) {
      reload.rejected = true;
      log.error(
        { changes: next.restart },
        'configuration reload rejected: spool.dir, alerting.state_dir, api.listen, api.token, api.tls and traps.listen change only with a restart; still running the previous configuration',
      );
      continue;
    }
    log.info({ config: configFile, by: signal === 'reload' ? 'POST /api/reload' : 'SIGHUP' }, 'reloading configuration');
    logWarnings(log, next.config);
    await running.stop();
    reload.rejected = false;
    current = next.config;
    running = await start(current, log, reload, metrics, requestReload);
    if (!running) return 1;
  }
}

/** Warnings do not stop the daemon, but a technician reading the log at start should see them. */
function logWarnings(log: Logger, config: RoomwatchConfig): void {
  if (config.warnings.length) log.warn({ warnings: config.warnings.map(formatIssue) }, `${config.warnings.length} configuration warning(s); see roomwatch validate`);
}

/**
 * Installs the signal handlers once, before anything starts, and queues what arrives. A SIGHUP or
 * SIGTERM during start-up or in the middle of a reload is then handled after it, instead of
 * finding no handler and killing the daemon (Node's default for both).
 */
function listenForSignals(): { next: () => Promise<NodeJS.Signals | 'reload'>; push: (entry: 'reload') => void } {
  const queue: Array<NodeJS.Signals | 'reload'> = [];
  let wake: (() => void) | undefined;
  let stopRequested = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // A second Ctrl-C or SIGTERM while stopping means "now": an operator must always be able to.
      if (signal !== 'SIGHUP' && stopRequested) process.exit(1);
      if (signal !== 'SIGHUP') stopRequested = true;
      queue.push(signal);
      wake?.();
    });
  }
  return {
    next: async () => {
      while (!queue.length) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      return queue.shift()!;
    },
    push: (entry) => {
      queue.push(entry);
      wake?.();
    },
  };
}

async function start(config: RoomwatchConfig, log: Logger, reload: ReloadState, metrics: DaemonMetrics, requestReload: () => void): Promise<Running | undefined> {
  const bus = new EventBus<RoomwatchEvents>(log.child({ component: 'events' }));
  const stored = { names: displayNames(config), downsample: downsamplePlan(config.templates.values()) };
  const sink = new SinkComponent({ influx: config.influx, spool: config.spool, log, stored });
  const poller = new PollerComponent({ devices: config.devices, influx: config.influx, jitter: config.jitter, log, onPoll: (outcome) => bus.emit('poll', outcome) });
  const engine = new AlertEngine({
    config,
    log: log.child({ component: 'alerting' }),
    writeEvent: (record) => bus.emit('alert_event', record),
    selfStatus: () => {
      const status = sink.status();
      return {
        influxReachable: status.reachable,
        spoolFillPercent: status.spoolFillPercent,
        pollerOverruns: poller.status().stalledDevices,
        configReloadRejected: reload.rejected,
      };
    },
  });
  // Subscription order is delivery order: a poll's readings reach the sink before alerting hears
  // the poll, and alerting hears a trap before the confirming poll starts.
  bus.on('poll', 'sink', (outcome) => sink.write(outcome.readings));
  bus.on('poll', 'alerting', (outcome) => engine.onPoll(outcome));
  bus.on('alert_event', 'sink', (record) => sink.writeEvent(record));
  // The console's live stream looks again after each evaluated poll and each recorded event.
  const changes = new ChangeSignal();
  bus.on('poll', 'stream', () => changes.notify());
  bus.on('alert_event', 'stream', () => changes.notify());
  bus.on('trap', 'alerting', ({ device, oid }) => {
    const rule = engine.onTrap(device.id, oid);
    log.info({ device: device.id, trap: oid, rule: rule ?? '(not mapped)' }, 'trap: polling the device now to confirm');
  });
  bus.on('trap', 'poller', ({ device }) => void poller.pollNow(device.id));
  // What the API shows as each device's now, from memory: it answers while InfluxDB is down.
  const latest = new LatestReadings(config.devices);
  bus.on('poll', 'api', (outcome) => latest.record(outcome));
  const traps = config.traps
    ? new TrapReceiver({ devices: config.devices, listen: config.traps, onTrap: (event) => bus.emit('trap', event), log: log.child({ component: 'traps' }) })
    : undefined;
  let startedAt: number | undefined;
  const probed: ProbedParts = { devices: config.devices, sink, engine, traps, pulse: new PollPulse(), startedAt: () => startedAt, reloadRejected: () => reload.rejected };
  bus.on('poll', 'metrics', (outcome) => {
    metrics.observePoll(outcome);
    probed.pulse.heard(outcome.durationMs);
  });
  metrics.follow(metricSources(probed));
  // Names, units and rules as configured, so the API says values as messages do (电池供电, < 198 V).
  const directory = new Directory(config);
  const faults = faultStatistics(config, log);
  const api = buildApp({
    ...engineDeps(engine, directory),
    reports: { faults: faults.report },
    inventory: { sites: () => config.sites, devices: () => config.devices, place: (id) => directory.placeOf(id), latest: (id) => latest.get(id) },
    storage: { query: influxQuery({ ...config.influx, password: config.influx.password?.reveal() }), events: faults.events, rawRetentionMs: config.influx.rawRetentionMs, aggregates: stored.downsample, now: Date.now },
    escalation: (alert) => escalationOf(alert, { routes: config.alerting.routes, receivers: config.alerting.receivers.map((r) => r.id), device: (id) => directory.get(id) }),
    config: () => config,
    reload: { check: () => reloadVerdict(config.file, config), trigger: requestReload },
    health: () => {
      const trapStatus = traps?.status() ?? { received: 0, unknownSenders: 0, rejectedBySender: {} };
      return {
        status: 'ok',
        influxdb: sink.status(),
        outbox: engine.outboxSize(),
        active_alerts: engine.alerts().active().length,
        traps: { received: trapStatus.received, unknown_senders: trapStatus.unknownSenders, rejected_by_sender: trapStatus.rejectedBySender },
        snmp_bad_datagrams: poller.status().badSnmpDatagrams,
        config_reload_rejected: reload.rejected,
      };
    },
    token: config.api.token,
    users: config.api.users,
    ...(config.api.tls ? { tls: { cert: config.api.tls.cert, key: config.api.tls.key.reveal() } } : {}),
    auth: reload.auth,
    log: log.child({ component: 'api' }),
    ready: readinessOf(probed),
    metrics,
    onAuthFailure: () => metrics.authFailure(),
    console: consoleDirs(),
    changes,
    auditLog: log.child({ component: 'audit' }),
  });
  let apiAddress = '';
  // Start order: alerting first, so it hears the first poll; the sink before the poller that
  // feeds it; the listeners last, so nothing arrives before the parts that handle it run.
  // Stopped in reverse.
  const components: Component[] = [
    { name: 'alerting', start: () => engine.start(), stop: () => engine.stop() },
    sink,
    new AlertStatusWriter({ active: () => engine.alerts().active(), places: config, write: (readings) => sink.write(readings), log: log.child({ component: 'alert_status' }) }),
    poller,
    faults.job,
    ...(traps ? [traps] : []),
    {
      name: 'api',
      start: async () => {
        try {
          apiAddress = await api.listen({ host: config.api.host, port: config.api.port });
        } catch (error) {
          throw new ComponentStartError('cannot listen for the API (api.listen)', { err: (error as Error).message, listen: `${config.api.host}:${config.api.port}` });
        }
      },
      stop: () => api.close(),
    },
  ];
  const inspection = dailyInspection(config, log.child({ component: 'inspection' }));
  if (inspection) components.push(inspection);
  const afterStop = () => log.info(sink.status(), 'stopped');
  let running: StartedComponents;
  try {
    running = await startAll(components, { log });
    startedAt = performance.now();
  } catch (error) {
    // A listener that cannot bind was explained in the log: exit 1. Anything else (an unreadable
    // alert journal) is answered by main() on stderr, as before components existed.
    if (!(error instanceof StartFailed)) throw error;
    if (!(error.reason instanceof ComponentStartError)) throw error.reason;
    afterStop();
    return undefined;
  }
  log.info(
    { config: config.file, devices: config.devices.length, rules: engine.ruleCount(), influx: config.influx.url, spool: config.spool.dir, api: apiAddress, traps: config.traps ? `${config.traps.host}:${config.traps.port}` : 'off' },
    'roomwatch running',
  );
  return {
    stop: async () => {
      await running.stop();
      afterStop();
    },
  };
}
