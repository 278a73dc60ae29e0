import type { ProbeContext, ProbeSupport, ProbeValues } from '../driver-runtime.js';
import { integerOption, stringOption } from '../probe-args.js';
import { decodeModbus, WORD_ORDERS } from './decode.js';
import type { RawRegisters } from './reader.js';
import { LINE_DEFAULTS, type ModbusTarget } from './types.js';

/** `roomwatch probe` for a Modbus template: TCP, RTU on a serial port, or RTU through a gateway. */
export const modbusProbe: ProbeSupport<ModbusTarget> = {
  heading: 'Modbus',
  defaultPort: LINE_DEFAULTS.port,
  options: {
    'unit-id': { type: 'string' },
    transport: { type: 'string', default: 'tcp' },
    'serial-path': { type: 'string' },
    'baud-rate': { type: 'string' },
    parity: { type: 'string' },
  },
  usage: [
    '--unit-id U --transport tcp|rtu-over-tcp|rtu --serial-path /dev/ttyX --baud-rate 9600',
    '--parity none|even|odd --raw (show registers in all four byte/word orders)',
  ],
  target: modbusProbeTarget,
  raw: (reading, readout) => {
    const detail = readout.details.get(reading) as RawRegisters | undefined;
    return detail ? { orders: allOrders(detail) } : undefined;
  },
};

function modbusProbeTarget(values: ProbeValues, _env: NodeJS.ProcessEnv, { timeoutMs, defaults }: ProbeContext): ModbusTarget | string {
  const transport = stringOption(values.transport);
  if (transport !== 'tcp' && transport !== 'rtu' && transport !== 'rtu-over-tcp') return `--transport must be tcp, rtu or rtu-over-tcp, got "${transport}"`;
  const host = stringOption(values.host);
  const serialPath = stringOption(values['serial-path']);
  if (transport === 'rtu' ? !serialPath : !host) return transport === 'rtu' ? '--serial-path is required for rtu' : '--host is required';
  const unitId = integerOption('unit-id', stringOption(values['unit-id']) ?? String(defaults.unit_id), 0, 255);
  const port = integerOption('port', stringOption(values.port) ?? String(modbusProbe.defaultPort), 1, 65535);
  const baudRate = integerOption('baud-rate', stringOption(values['baud-rate']) ?? String(defaults.baud_rate), 300, 921600);
  if (typeof unitId === 'string') return unitId;
  if (typeof port === 'string') return port;
  if (typeof baudRate === 'string') return baudRate;
  const parity = stringOption(values.parity) ?? String(defaults.parity);
  if (parity !== 'none' && parity !== 'even' && parity !== 'odd') return `--parity must be none, even or odd, got "${parity}"`;
  return {
    line: {
      key: 'probe',
      transport,
      host,
      port,
      serialPath,
      baudRate,
      parity,
      dataBits: defaults.data_bits as 7 | 8,
      stopBits: defaults.stop_bits as 1 | 2,
      interFrameDelayMs: LINE_DEFAULTS.interFrameDelayMs(transport),
    },
    unitId,
    timeoutMs,
    retries: defaults.retries as number,
    maxGap: defaults.max_gap as number,
    maxRegisters: defaults.max_registers as number,
  };
}

/** The registers in hex, and the point decoded in every word order: which one reads right? */
function allOrders({ point, registers }: RawRegisters): Record<string, unknown> {
  const out: Record<string, unknown> = { registers: registers.map((r) => `0x${r.toString(16).padStart(4, '0').toUpperCase()}`) };
  for (const order of WORD_ORDERS) {
    const decoded = decodeModbus({ ...point, order }, registers);
    out[order] = decoded.ok ? decoded.value : null;
  }
  return out;
}
