import { loadConfig } from '../collector/config/load.js';
import { formatIssue } from '../collector/config/yaml-source.js';
import { createDeviceReader } from '../collector/device-reader.js';
import { AgentLimits } from '../collector/drivers/snmp/client.js';
import { ModbusLines } from '../collector/drivers/modbus/lines.js';
import { createLogger } from '../collector/logger.js';
import { PollScheduler } from '../collector/scheduler.js';
import { InfluxSink } from '../collector/sink/influx.js';
import { Spool } from '../collector/sink/spool.js';

/**
 * `roomwatch run --config FILE`: the composition root. Validates everything first, then wires
 * drivers → scheduler → InfluxDB sink, and stops cleanly on SIGINT/SIGTERM.
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
  const spool = new Spool(config.spool.dir, config.spool.maxBytes, log.child({ component: 'spool' }));
  const sink = new InfluxSink(config.influx, spool, log.child({ component: 'influx' }));
  const lines = new ModbusLines(log.child({ component: 'modbus' }));
  const agentLimits = new AgentLimits();
  const devices = config.devices.map((spec) => ({
    spec,
    reader: createDeviceReader(spec, {
      agentLimits,
      modbusLine: (device) => lines.for(device.modbus!.line),
      log: log.child({ component: 'snmp' }),
    }),
  }));
  const scheduler = new PollScheduler(devices, {
    jitter: config.jitter,
    log: log.child({ component: 'scheduler' }),
    onPoll: (outcome) => sink.write(outcome.readings),
  });

  sink.start();
  scheduler.start();
  log.info({ config: config.file, devices: devices.length, influx: config.influx.url, spool: config.spool.dir }, 'roomwatch running');

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await scheduler.stop();
  await lines.closeAll();
  await sink.stop();
  log.info(sink.status(), 'stopped');
  return 0;
}
