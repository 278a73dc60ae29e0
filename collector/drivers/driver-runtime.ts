import type { ParseArgsConfig } from 'node:util';
import type { Logger } from 'pino';
import type { SecretScrubber } from '../../common/config/secret.js';
import type { DeviceSpec, DeviceTemplate, DriverTargets } from '../../common/contracts/device.js';
import type { Reading } from '../../common/contracts/reading.js';

/** Reads every point of one device once; throws when the device cannot be reached at all. */
export interface DeviceReader {
  read(time: number): Promise<DeviceReadout>;
  /** Releases what this device alone holds (an SNMP session); shared lines belong to the session. */
  close(): void;
}

/** One poll's readings, plus what the driver knows about each beyond its value. */
export interface DeviceReadout {
  readings: Reading[];
  /**
   * Driver-specific detail behind a reading, for probes (Modbus: the point and its raw registers).
   * Keyed by the reading itself, since several points may share one address (a uint32 and bits of it).
   * Only the driver that wrote an entry reads it back (its `probe.raw`).
   */
  details: Map<Reading, unknown>;
}

/** What a collector (or a probe) hands every driver when it opens a session. */
export interface SessionOptions {
  /** The collector's logger; each driver adds its own `component`. */
  log: Logger;
  /**
   * Removes every configured secret from error texts. Any device's secret may surface in another
   * device's error (a reply from the wrong agent); without one, each reader scrubs its own device's.
   */
  scrubber?: SecretScrubber;
}

/**
 * One collector's use of a driver: the resources its devices share (SNMP per-agent limits and the
 * bad-datagram log, Modbus line queues), the readers made over them, and one close for all of it.
 */
export interface DriverSession {
  /** A reader for a device whose template uses this driver; its errors come out scrubbed of secrets. */
  reader(device: DeviceSpec): DeviceReader;
  /** Unusable replies received per peer ("host:port") since open, for self-monitoring; absent when the driver counts none. */
  unusableReplies?(): Record<string, number>;
  /** Closes the shared resources. Call after every reader has stopped reading. */
  close(): Promise<void>;
}

/** Values parsed by `node:util` parseArgs from the probe command line. */
export type ProbeValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** What the probe command knows before it asks a driver for a target. */
export interface ProbeContext {
  /** From the common `--timeout` option. */
  timeoutMs: number;
  /** The defaults of this driver's device-section schema, under its YAML key names (`port`, `max_gap`). */
  defaults: Readonly<Record<string, unknown>>;
}

/** The driver's part of `roomwatch probe`: its options, their usage lines and the target they make. */
export interface ProbeSupport<Target> {
  /** The usage section's heading ("SNMP"). */
  readonly heading: string;
  /** The port `--port` stands for when not given. */
  readonly defaultPort: number;
  /** parseArgs options this driver reads; names must not clash with another driver's or the common ones. */
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Usage lines for those options, without indentation (the probe command lays them out). */
  readonly usage: readonly string[];
  /** The connection to probe, or a message saying which option is wrong or missing. */
  target(values: ProbeValues, env: NodeJS.ProcessEnv, context: ProbeContext): Target | string;
  /** Keys `--raw` adds to a reading's row (e.g. every word order), from the readout's details; undefined adds none. */
  raw?(reading: Reading, readout: DeviceReadout): Record<string, unknown> | undefined;
}

/**
 * The runtime half of a protocol driver: how a collector talks to its devices. Listed in
 * drivers/registry.ts; generic code (collector, probe, benchmarks, testcases) asks it instead of
 * branching on protocol. Nothing here validates configuration: targets arrive compiled.
 */
export interface DriverRuntime<Target = unknown> {
  /** The driver id: `driver:` in templates and the device section key ("snmp"). */
  readonly id: keyof DriverTargets;
  /** Opens one session per collector (or probe); readers made by it share its resources. */
  open(options: SessionOptions): DriverSession;
  readonly probe: ProbeSupport<Target>;
  /**
   * Reads a template's points once from a recording instead of a device, through the same reader
   * a collector uses over a fake transport built from the recording (the driver's testcase
   * `input.json`). Throws, naming the entry, when the recording is malformed.
   */
  replay(template: DeviceTemplate, recording: unknown, time: number): Promise<Reading[]>;
}
