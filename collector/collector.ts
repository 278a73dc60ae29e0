import type { Logger } from 'pino';
import type { InfluxSettings, SinkStatus, StoredNames } from './sink/influx.js';
import { openDriverSessions } from './drivers/sessions.js';
import { findSecrets, SecretScrubber } from '../common/config/secret.js';
import type { Component } from '../common/lifecycle.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { DeviceSpec } from '../common/contracts/device.js';
import type { Reading } from '../common/contracts/reading.js';
import type { AlertEventRecord } from '../common/contracts/alert-event.js';
import { PollScheduler, type ScheduledDevice } from './scheduler.js';
import { InfluxSink } from './sink/influx.js';
import { Spool } from './sink/spool.js';

export interface SinkOptions {
  influx: InfluxSettings;
  spool: { dir: string; maxBytes: number };
  log: Logger;
  /** Display-name tags and the downsampling plan (collector/sink/names.ts, downsample.ts). */
  stored?: StoredNames;
}

/** The sink's figures for /api/health and self-monitoring. */
export interface SinkComponentStatus extends SinkStatus {
  /** Spool size as a share of `spool.max_size`, rounded to a whole percent. */
  spoolFillPercent: number;
}

/**
 * The InfluxDB sink (with its on-disk spool) as a component: readings go in through `write`, from
 * whoever the composition root lets write (each poll, alert events).
 */
export class SinkComponent implements Component {
  readonly name = 'sink';
  readonly #sink: InfluxSink;
  readonly #spoolMaxBytes: number;

  constructor(options: SinkOptions) {
    const { log } = options;
    this.#sink = new InfluxSink(options.influx, new Spool(options.spool.dir, options.spool.maxBytes, log.child({ component: 'spool' })), log.child({ component: 'influx' }), options.stored);
    this.#spoolMaxBytes = options.spool.maxBytes;
  }

  start(): void {
    this.#sink.start();
  }

  write(readings: readonly Reading[]): void {
    this.#sink.write(readings);
  }

  writeEvent(record: AlertEventRecord): void {
    this.#sink.writeEvent(record);
  }

  status(): SinkComponentStatus {
    const status = this.#sink.status();
    return { ...status, spoolFillPercent: Math.round((status.spoolBytes / this.#spoolMaxBytes) * 100) };
  }

  stop(): Promise<void> {
    return this.#sink.stop();
  }
}

export interface PollerOptions {
  devices: readonly DeviceSpec[];
  /** Only for its secrets: an error text must not carry the InfluxDB password either. */
  influx: InfluxSettings;
  jitter: number;
  log: Logger;
  /** Every poll, health readings included (the composition root puts it on the event bus). */
  onPoll: (outcome: PollOutcome) => void;
}

/** The poller's figures for /api/health and self-monitoring. */
export interface PollerStatus {
  /** Devices whose poll has been running for longer than their interval. */
  stalledDevices: number;
  /** Turns skipped since start because the device's previous poll was still running. */
  overruns: number;
  /** Unusable SNMP datagrams received per agent ("host:port") since start. */
  badSnmpDatagrams: Record<string, number>;
}

/**
 * The poller as a component: every device's reader on its own timer (PollScheduler). The readers
 * and the driver resources they share are made in start, and closed in stop.
 */
export class PollerComponent implements Component {
  readonly name = 'poller';
  #running: { scheduler: PollScheduler; readers: Readers } | undefined;

  constructor(private readonly options: PollerOptions) {}

  start(): void {
    const { options } = this;
    const readers = openReaders(options.devices, options.influx, options.log);
    const scheduler = new PollScheduler(readers.devices, { jitter: options.jitter, log: options.log.child({ component: 'scheduler' }), onPoll: options.onPoll });
    this.#running = { scheduler, readers };
    scheduler.start();
  }

  /** Polls a device now (after a trap), sharing a poll already in flight; undefined when unknown or stopped. */
  pollNow(deviceId: string): Promise<PollOutcome> | undefined {
    return this.#running?.scheduler.pollNow(deviceId);
  }

  status(): PollerStatus {
    const running = this.#running;
    return {
      stalledDevices: running?.scheduler.stalledDevices() ?? 0,
      overruns: running?.scheduler.overruns() ?? 0,
      badSnmpDatagrams: running?.readers.badSnmpDatagrams() ?? {},
    };
  }

  async stop(): Promise<void> {
    const running = this.#running;
    if (!running) return;
    await running.scheduler.stop();
    await running.readers.close();
  }
}

interface Readers {
  devices: ScheduledDevice[];
  badSnmpDatagrams(): Record<string, number>;
  close(): Promise<void>;
}

/** Every device's reader and the driver resources they share: the one place readers are made. */
function openReaders(specs: readonly DeviceSpec[], influx: InfluxSettings, log: Logger): Readers {
  // Any device's secret may surface in another's error (a reply from the wrong agent), so every
  // reader scrubs them all.
  const scrubber = new SecretScrubber(findSecrets([specs, influx]));
  const drivers = openDriverSessions({ log, scrubber });
  return {
    devices: specs.map((spec) => ({ spec, reader: drivers.reader(spec) })),
    badSnmpDatagrams: () => drivers.unusableReplies(),
    close: () => drivers.close(),
  };
}
