import { Collector } from '../collector/collector.js';
import { loadConfig } from '../collector/config/load.js';
import { formatIssue } from '../collector/config/yaml-source.js';
import { createLogger } from '../collector/logger.js';

/**
 * `roomwatch run --config FILE`: the composition root. Validates everything first, then starts
 * the collector, and stops cleanly on SIGINT/SIGTERM.
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
  const collector = new Collector({ devices: config.devices, influx: config.influx, spool: config.spool, jitter: config.jitter, log });
  collector.start();
  log.info({ config: config.file, devices: config.devices.length, influx: config.influx.url, spool: config.spool.dir }, 'roomwatch running');

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log.info({ signal }, 'stopping');
  await collector.stop();
  log.info(collector.sink.status(), 'stopped');
  return 0;
}
