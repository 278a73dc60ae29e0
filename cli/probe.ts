import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { Secret } from '../common/config/secret.js';
import { BUILTIN_TEMPLATE_DIR, loadTemplates } from '../collector/templates/load.js';
import { templateRules } from '../alerting/config/template-rules.js';
import { formatIssue } from '../common/config/yaml-source.js';
import { parseDuration } from '../common/config/units.js';
import { createDeviceReader, type DeviceReadout, type RawRegisters } from '../collector/device-reader.js';
import { decodeModbus, WORD_ORDERS } from '../collector/drivers/modbus/decode.js';
import { ModbusLines } from '../collector/drivers/modbus/lines.js';
import { AgentLimits } from '../collector/drivers/snmp/client.js';
import { createLogger } from '../common/log.js';
import type { DeviceSpec } from '../common/contracts/device.js';
import type { SnmpTarget } from '../collector/drivers/snmp/types.js';
import type { ModbusTarget } from '../collector/drivers/modbus/types.js';

export const PROBE_USAGE = `roomwatch probe --template NAME --host HOST [options]
  --templates DIR            extra template directory
  --port N                   agent/slave port (SNMP 161, Modbus 502)
  SNMP:   --snmp-version 1|2c|3  --community C (or env ROOMWATCH_SNMP_COMMUNITY)
          --user U --security-level noAuthNoPriv|authNoPriv|authPriv
          --auth-protocol sha|sha256|... --auth-key K  --priv-protocol aes|des|... --priv-key K
          (keys may also come from ROOMWATCH_SNMP_AUTH_KEY / ROOMWATCH_SNMP_PRIV_KEY)
  Modbus: --unit-id U --transport tcp|rtu-over-tcp|rtu --serial-path /dev/ttyX --baud-rate 9600
          --parity none|even|odd --raw (show registers in all four byte/word orders)
  --timeout 2s  --json`;

/** `roomwatch probe`: poll one device once with a template and print what it reads. */
export async function probeCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      template: { type: 'string' },
      templates: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'snmp-version': { type: 'string', default: '2c' },
      community: { type: 'string' },
      user: { type: 'string' },
      'security-level': { type: 'string' },
      'auth-protocol': { type: 'string' },
      'auth-key': { type: 'string' },
      'priv-protocol': { type: 'string' },
      'priv-key': { type: 'string' },
      'unit-id': { type: 'string', default: '1' },
      transport: { type: 'string', default: 'tcp' },
      'serial-path': { type: 'string' },
      'baud-rate': { type: 'string', default: '9600' },
      parity: { type: 'string', default: 'none' },
      timeout: { type: 'string', default: '2s' },
      json: { type: 'boolean', default: false },
      raw: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const fail = (message: string) => {
    process.stderr.write(`roomwatch probe: ${message}\n\n${PROBE_USAGE}\n`);
    return 2;
  };
  if (!values.template) return fail('--template is required');
  const templateSet = loadTemplates([BUILTIN_TEMPLATE_DIR, ...(values.templates ? [resolve(values.templates)] : [])], templateRules);
  if (templateSet.issues.length) {
    for (const issue of templateSet.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    return 1;
  }
  for (const warning of templateSet.warnings) process.stderr.write(`${formatIssue(warning)}\n`);
  const template = templateSet.templates.get(values.template);
  if (!template) return fail(`unknown template "${values.template}"; known: ${[...templateSet.templates.keys()].sort().join(', ')}`);
  let timeoutMs: number;
  try {
    timeoutMs = parseDuration(values.timeout);
  } catch (error) {
    return fail(`--timeout: ${(error as Error).message}`);
  }
  const integer = (name: string, text: string | undefined, min: number, max: number): number | string => {
    const n = Number(text);
    return Number.isInteger(n) && n >= min && n <= max ? n : `--${name} must be an integer from ${min} to ${max}, got "${text}"`;
  };

  const device: DeviceSpec = { id: 'probe', name: 'probe', site: 'probe', room: 'probe', template, intervalMs: 0, tags: {} };
  if (template.driver === 'snmp') {
    if (!values.host) return fail('--host is required');
    const port = integer('port', values.port ?? '161', 1, 65535);
    if (typeof port === 'string') return fail(port);
    const version = values['snmp-version'];
    if (version !== '1' && version !== '2c' && version !== '3') return fail(`--snmp-version must be 1, 2c or 3, got "${version}"`);
    const env = process.env;
    const community = values.community ?? env.ROOMWATCH_SNMP_COMMUNITY;
    if (version !== '3' && !community) return fail('--community (or ROOMWATCH_SNMP_COMMUNITY) is required for SNMP v1/v2c');
    if (version === '3' && !values.user) return fail('--user is required for SNMPv3');
    const authKey = values['auth-key'] ?? env.ROOMWATCH_SNMP_AUTH_KEY;
    const privKey = values['priv-key'] ?? env.ROOMWATCH_SNMP_PRIV_KEY;
    const target: SnmpTarget = {
      host: values.host,
      port,
      version,
      community: community ? new Secret(community) : undefined,
      user: values.user,
      securityLevel: (values['security-level'] ?? (privKey ? 'authPriv' : authKey ? 'authNoPriv' : 'noAuthNoPriv')) as SnmpTarget['securityLevel'],
      authProtocol: values['auth-protocol'] ?? (authKey ? 'sha' : undefined),
      authKey: authKey ? new Secret(authKey) : undefined,
      privProtocol: values['priv-protocol'] ?? (privKey ? 'aes' : undefined),
      privKey: privKey ? new Secret(privKey) : undefined,
      timeoutMs,
      retries: 1,
      maxConcurrency: 4,
      maxOidsPerRequest: 16,
      maxRepetitions: 20,
    };
    device.snmp = target;
  } else {
    const transport = values.transport;
    if (transport !== 'tcp' && transport !== 'rtu' && transport !== 'rtu-over-tcp') return fail(`--transport must be tcp, rtu or rtu-over-tcp, got "${transport}"`);
    if (transport === 'rtu' ? !values['serial-path'] : !values.host) return fail(transport === 'rtu' ? '--serial-path is required for rtu' : '--host is required');
    const unitId = integer('unit-id', values['unit-id'], 0, 255);
    const port = integer('port', values.port ?? '502', 1, 65535);
    const baudRate = integer('baud-rate', values['baud-rate'], 300, 921600);
    for (const checked of [unitId, port, baudRate]) if (typeof checked === 'string') return fail(checked);
    const parity = values.parity;
    if (parity !== 'none' && parity !== 'even' && parity !== 'odd') return fail(`--parity must be none, even or odd, got "${parity}"`);
    const target: ModbusTarget = {
      line: {
        key: 'probe',
        transport,
        host: values.host,
        port: port as number,
        serialPath: values['serial-path'],
        baudRate: baudRate as number,
        parity,
        dataBits: 8,
        stopBits: 1,
        interFrameDelayMs: transport === 'tcp' ? 0 : 5,
      },
      unitId: unitId as number,
      timeoutMs,
      retries: 1,
      maxGap: 8,
      maxRegisters: 125,
    };
    device.modbus = target;
  }

  const log = createLogger('warn', 2);
  const lines = new ModbusLines(log);
  const reader = createDeviceReader(device, { agentLimits: new AgentLimits(), modbusLine: (d) => lines.for(d.modbus!.line), log });
  let readout: DeviceReadout;
  try {
    readout = await reader.read(Date.now());
  } catch (error) {
    process.stderr.write(`roomwatch probe: the device did not answer: ${(error as Error).message}\n`);
    return 1;
  } finally {
    reader.close();
    await lines.closeAll();
  }
  const rows = readout.readings.map((r) => ({
    measurement: r.measurement,
    field: r.field,
    tags: r.tags,
    value: r.value,
    unit: r.unit ?? '',
    source: r.source,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(values.raw && readout.registers.has(r) ? { orders: allOrders(readout.registers.get(r)!) } : {}),
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    printTable(rows);
  }
  return 0;
}

function allOrders({ point, registers }: RawRegisters): Record<string, unknown> {
  const out: Record<string, unknown> = { registers: registers.map((r) => `0x${r.toString(16).padStart(4, '0').toUpperCase()}`) };
  for (const order of WORD_ORDERS) {
    const decoded = decodeModbus({ ...point, order }, registers);
    out[order] = decoded.ok ? decoded.value : null;
  }
  return out;
}

function printTable(rows: Array<{ measurement: string; field: string; tags: Readonly<Record<string, string>>; value: number | string | null; unit: string; source: string; reason?: string; orders?: Record<string, unknown> }>): void {
  const table = rows.map((r) => {
    const tags = Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(',');
    const value = r.value === null ? `(no value: ${r.reason ?? 'unknown'})` : String(r.value);
    const orders = r.orders ? `  ${Object.entries(r.orders).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(' ') : String(v)}`).join('  ')}` : '';
    return [`${r.measurement}.${r.field}`, tags, value, r.unit, r.source + orders];
  });
  const header = ['point', 'tags', 'value', 'unit', 'source'];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${line(header)}\n${table.map(line).join('\n')}\n`);
}
