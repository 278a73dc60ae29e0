import type { Logger } from 'pino';
import type { InfluxSettings } from './sink/influx.js';
import { openDriverSessions, type DriverSessions } from './drivers/sessions.js';
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
  readonly #drivers: DriverSessions;

  constructor(options: CollectorOptions) {
    const { log } = options;
    this.sink = new InfluxSink(options.influx, new Spool(options.spool.dir, options.spool.maxBytes, log.child({ component: 'spool' })), log.child({ component: 'influx' }));
    // Any device's secret may surface in another's error (a reply from the wrong agent), so every
    // reader scrubs them all.
    const scrubber = new SecretScrubber(findSecrets([options.devices, options.influx]));
    this.#drivers = openDriverSessions({ log, scrubber });
    const devices = options.devices.map((spec) => ({ spec, reader: this.#drivers.reader(spec) }));
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
    return this.#drivers.unusableReplies();
  }

  async stop(): Promise<void> {
    await this.scheduler.stop();
    await this.#drivers.close();
    await this.sink.stop();
  }
}
