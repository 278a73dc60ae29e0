import { AlertEngine } from '../alerting/engine.js';
import { TrapReceiver } from '../alerting/traps.js';
import { buildApi } from '../api/server.js';
import { Collector } from '../collector/collector.js';
import { loadConfig } from '../collector/config/load.js';
import { formatIssue } from '../collector/config/yaml-source.js';
import { createLogger } from '../collector/logger.js';

/**
 * `roomwatch run --config FILE`: the composition root. Validates everything first, then wires
 * collector → InfluxDB sink and collector → alerting engine (so alerts fire while InfluxDB is
 * down), starts the API, and stops cleanly on SIGINT/SIGTERM.
 */
export async function runCommand(configFile: string): Promise<number> {
  const result = loadConfig(configFile);
  if (!result.ok) {
    for (const issue of result.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`${result.issues.length} problem(s) in the configuration; roomwatch did not start.\n`);
    return 1;
  }
  const { config } = result;
  const log = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => log.error({ err: String(reason) }, 'unhandled rejection (bug); roomwatch keeps running'));

  const collector = new Collector({
    devices: config.devices,
    influx: config.influx,
    spool: config.spool,
    jitter: config.jitter,
    log,
    // Polls start only after engine.start() below, so the engine exists by then.
    onPoll: (outcome) => engine.onPoll(outcome),
  });
  const engine: AlertEngine = new AlertEngine({
    config,
    log: log.child({ component: 'alerting' }),
    writeReadings: (readings) => collector.sink.write(readings),
    selfStatus: () => {
      const status = collector.sink.status();
      return { influxReachable: status.reachable, spoolFillPercent: Math.round((status.spoolBytes / config.spool.maxBytes) * 100), pollerOverruns: collector.scheduler.stalledDevices() };
    },
  });
  engine.start();
  collector.start();
  const traps = new TrapReceiver(
    config.devices,
    ({ device, oid }) => {
      const rule = engine.onTrap(device.id, oid);
      log.info({ device: device.id, trap: oid, rule: rule ?? '(not mapped)' }, 'trap: polling the device now to confirm');
      void collector.scheduler.pollNow(device.id);
    },
    log.child({ component: 'traps' }),
  );
  if (config.traps) traps.start(config.traps.host, config.traps.port);
  const api = buildApi({
    silences: { list: () => engine.silences(), add: (input) => engine.addSilence(input), expire: (id) => engine.expireSilence(id) },
    alerts: { active: () => engine.book.active(), recent: () => engine.book.recent(), acknowledge: (id, by, note) => engine.acknowledge(id, by, note) },
    health: () => ({ status: 'ok', influxdb: collector.sink.status(), outbox: engine.outboxSize(), active_alerts: engine.book.active().length, traps: { received: traps.received, unknown_senders: traps.unknownSenders } }),
    token: config.api.token,
  });
  let apiAddress: string;
  try {
    apiAddress = await api.listen({ host: config.api.host, port: config.api.port });
  } catch (error) {
    log.fatal({ err: (error as Error).message, listen: `${config.api.host}:${config.api.port}` }, 'cannot listen for the API (api.listen)');
    await collector.stop();
    await engine.stop();
    return 1;
  }
  log.info(
    { config: config.file, devices: config.devices.length, rules: engine.rules.size, influx: config.influx.url, spool: config.spool.dir, api: apiAddress },
    'roomwatch running',
  );

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log.info({ signal }, 'stopping');
  await api.close();
  await traps.close();
  await collector.stop();
  await engine.stop();
  log.info(collector.sink.status(), 'stopped');
  return 0;
}
