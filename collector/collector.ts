import type { Logger } from 'pino';
import type { InfluxSettings } from './config/load.js';
import { createDeviceReader } from './device-reader.js';
import { ModbusLines } from './drivers/modbus/lines.js';
import { AgentLimits } from './drivers/snmp/client.js';
import type { PollOutcome } from './health.js';
import type { DeviceSpec } from './model.js';
import { PollScheduler } from './scheduler.js';
import { InfluxSink } from './sink/influx.js';
import { Spool } from './sink/spool.js';

export interface CollectorOptions {
  devices: readonly DeviceSpec[];
  influx: InfluxSettings;
  spool: { dir: string; maxBytes: number };
  jitter: number;
  log: Logger;
  /** Every poll, after its readings went to the sink (the alerting engine listens here). */
  onPoll?: (outcome: PollOutcome) => void;
}

/** The collector as a unit: drivers → scheduler → InfluxDB sink, started and stopped together. */
export class Collector {
  readonly sink: InfluxSink;
  readonly scheduler: PollScheduler;
  readonly #lines: ModbusLines;

  constructor(options: CollectorOptions) {
    const { log } = options;
    this.sink = new InfluxSink(options.influx, new Spool(options.spool.dir, options.spool.maxBytes, log.child({ component: 'spool' })), log.child({ component: 'influx' }));
    this.#lines = new ModbusLines(log.child({ component: 'modbus' }));
    const agentLimits = new AgentLimits();
    const devices = options.devices.map((spec) => ({
      spec,
      reader: createDeviceReader(spec, { agentLimits, modbusLine: (device) => this.#lines.for(device.modbus!.line), log: log.child({ component: 'snmp' }) }),
    }));
    this.scheduler = new PollScheduler(devices, {
      jitter: options.jitter,
      log: log.child({ component: 'scheduler' }),
      onPoll: (outcome) => {
        this.sink.write(outcome.readings);
        options.onPoll?.(outcome);
      },
    });
  }

  start(): void {
    this.sink.start();
    this.scheduler.start();
  }

  async stop(): Promise<void> {
    await this.scheduler.stop();
    await this.#lines.closeAll();
    await this.sink.stop();
  }
}
