import type { DeviceSpec } from '../../../common/contracts/device.js';
import type { DeviceReader, DriverRuntime, DriverSession, SessionOptions } from '../driver-runtime.js';
import { scrubbedReader } from '../scrubbed-reader.js';
import { BadDatagramLog } from './bad-datagrams.js';
import { AgentLimits, SnmpClient } from './client.js';
import { snmpProbe } from './probe.js';
import { SnmpReader } from './reader.js';
import { replaySnmp } from './replay.js';
import type { SnmpTarget } from './types.js';

/**
 * Every device of one collector shares one AgentLimits (requests in flight per agent, whichever
 * devices ask) and one BadDatagramLog (garbage counted per agent, not per device).
 */
class SnmpSession implements DriverSession {
  readonly #limits = new AgentLimits();
  readonly #badDatagrams: BadDatagramLog;

  constructor(private readonly options: SessionOptions, private readonly log = options.log.child({ component: 'snmp' })) {
    this.#badDatagrams = new BadDatagramLog(this.log, 'bad SNMP datagram ignored');
  }

  reader(device: DeviceSpec): DeviceReader {
    const target = device.snmp!;
    const client = new SnmpClient(target, this.#limits.for(target), this.log.child({ device: device.id }), this.#badDatagrams);
    return scrubbedReader(new SnmpReader(device, client), device, this.options.scrubber);
  }

  unusableReplies(): Record<string, number> {
    return this.#badDatagrams.totals();
  }

  close(): Promise<void> {
    // Each reader closes its own session; what is left is the count nobody logged yet.
    this.#badDatagrams.flush();
    return Promise.resolve();
  }
}

/** The SNMP driver's runtime half (v1, v2c, v3 over UDP). */
export const snmpRuntime = {
  id: 'snmp',
  open: (options: SessionOptions): DriverSession => new SnmpSession(options),
  probe: snmpProbe,
  replay: replaySnmp,
} satisfies DriverRuntime<SnmpTarget>;
