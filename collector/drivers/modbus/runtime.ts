import type { DeviceSpec } from '../../../common/contracts/device.js';
import type { DeviceReader, DriverRuntime, DriverSession, SessionOptions } from '../driver-runtime.js';
import { scrubbedReader } from '../scrubbed-reader.js';
import { ModbusLines } from './lines.js';
import { modbusProbe } from './probe.js';
import { ModbusReader } from './reader.js';
import { replayModbus } from './replay.js';
import type { ModbusTarget } from './types.js';

/** Devices on one line (bus, gateway, TCP slave) share its queue; the session closes every line. */
class ModbusSession implements DriverSession {
  readonly #lines: ModbusLines;

  constructor(private readonly options: SessionOptions) {
    this.#lines = new ModbusLines(options.log.child({ component: 'modbus' }));
  }

  reader(device: DeviceSpec): DeviceReader {
    const target = device.modbus!;
    const options = { unitId: target.unitId, timeoutMs: target.timeoutMs, retries: target.retries, maxGap: target.maxGap, maxRegisters: target.maxRegisters };
    return scrubbedReader(new ModbusReader(device, this.#lines.for(target.line), options), device, this.options.scrubber);
  }

  close(): Promise<void> {
    return this.#lines.closeAll();
  }
}

/** The Modbus driver's runtime half (TCP, RTU, RTU over TCP). */
export const modbusRuntime = {
  id: 'modbus',
  open: (options: SessionOptions): DriverSession => new ModbusSession(options),
  probe: modbusProbe,
  replay: replayModbus,
} satisfies DriverRuntime<ModbusTarget>;
