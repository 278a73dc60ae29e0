import type { Logger } from 'pino';
import type { InfluxSettings } from './sink/influx.js';
import { createDeviceReader } from './device-reader.js';
import { ModbusLines } from './drivers/modbus/lines.js';
import { AgentLimits } from './drivers/snmp/client.js';
import { BadDatagramLog } from './drivers/snmp/bad-datagrams.js';
import { findSecrets, SecretScrubber } from '../common/config/secret.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { DeviceSpec } from '../common/contracts/device.js';
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
  readonly #badDatagrams: BadDatagramLog;

  constructor(options: CollectorOptions) {
    const { log } = options;
    this.sink = new InfluxSink(options.influx, new Spool(options.spool.dir, options.spool.maxBytes, log.child({ component: 'spool' })), log.child({ component: 'influx' }));
    this.#lines = new ModbusLines(log.child({ component: 'modbus' }));
    const agentLimits = new AgentLimits();
    const snmpLog = log.child({ component: 'snmp' });
    this.#badDatagrams = new BadDatagramLog(snmpLog, 'bad SNMP datagram ignored');
    // Any device's secret may surface in another's error (a reply from the wrong agent), so every
    // reader scrubs them all.
    const scrubber = new SecretScrubber(findSecrets([options.devices, options.influx]));
    const devices = options.devices.map((spec) => ({
      spec,
      reader: createDeviceReader(spec, { agentLimits, modbusLine: (device) => this.#lines.for(device.modbus!.line), log: snmpLog, badDatagrams: this.#badDatagrams, scrubber }),
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

  /** Unusable SNMP datagrams received per agent ("host:port") since start. */
  badSnmpDatagrams(): Record<string, number> {
    return this.#badDatagrams.totals();
  }

  async stop(): Promise<void> {
    await this.scheduler.stop();
    this.#badDatagrams.flush();
    await this.#lines.closeAll();
    await this.sink.stop();
  }
}
