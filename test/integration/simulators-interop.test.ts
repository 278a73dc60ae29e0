import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../mocks/sim/clock.js';
import { RoomSimulator } from '../../mocks/sim/room-simulator.js';
import { valueKey } from '../../mocks/sim/room-model.js';
import { writeSimRoom, type SimRoom } from '../helpers/sim-room.js';

const run = promisify(execFile);
let room: SimRoom;
let simulator: RoomSimulator;

beforeAll(async () => {
  room = await writeSimRoom();
  // Time stands still so that every client reads the same values.
  simulator = new RoomSimulator(room.config, new SimClock(0, Date.UTC(2026, 10, 21, 6)), 42);
  await simulator.start();
});
afterAll(() => simulator?.stop());

const device = (id: string) => simulator.devices.find((d) => d.id === id)!;
const expected = (id: string, key: string) => simulator.model.values(device(id), simulator.clock.now())[key];

async function snmp(tool: 'snmpget' | 'snmpbulkwalk', args: string[]): Promise<string> {
  const { stdout } = await run(tool, ['-On', '-Oq', '-t', '1', '-r', '1', ...args], { env: { ...process.env, MIBS: '' } });
  return stdout;
}

describe('simulators agree with independent clients', () => {
  it('snmpget (v2c) reads the UPS-MIB scalars the model reports', async () => {
    const out = await snmp('snmpget', ['-v2c', '-c', 'sim-public', `127.0.0.1:${room.ports.ups1}`, '.1.3.6.1.2.1.33.1.2.4.0', '.1.3.6.1.2.1.33.1.4.1.0', '.1.3.6.1.2.1.33.1.2.5.0']);
    expect(out.trim().split('\n')).toEqual([
      `.1.3.6.1.2.1.33.1.2.4.0 ${expected('ups-1', 'battery_charge')}`,
      `.1.3.6.1.2.1.33.1.4.1.0 ${expected('ups-1', 'output_source')}`,
      `.1.3.6.1.2.1.33.1.2.5.0 ${Math.round((expected('ups-1', 'battery_voltage') as number) * 10)}`,
    ]);
  });

  it('snmpbulkwalk (v3 authPriv SHA/AES) walks the three-phase output table', async () => {
    const out = await snmp('snmpbulkwalk', ['-v3', '-l', 'authPriv', '-u', 'simuser', '-a', 'SHA', '-A', 'sim-auth-key', '-x', 'AES', '-X', 'sim-priv-key', `127.0.0.1:${room.ports.ups2}`, '.1.3.6.1.2.1.33.1.4.4.1.2']);
    // upsOutputVoltage is whole volts (RMS), so the agent sends the model's value rounded.
    expect(out.trim().split('\n')).toEqual([1, 2, 3].map((p) => `.1.3.6.1.2.1.33.1.4.4.1.2.${p} ${Math.round(expected('ups-2', valueKey('output_voltage', { phase: String(p) })) as number)}`));
  });

  it('snmpbulkwalk finds the Liebert sensor rows by their well-known OIDs', async () => {
    const names = await snmp('snmpbulkwalk', ['-v2c', '-c', 'sim-public', `127.0.0.1:${room.ports.crac1}`, '.1.3.6.1.4.1.476.1.42.3.4.1.3.3.1.2']);
    const values = await snmp('snmpbulkwalk', ['-v2c', '-c', 'sim-public', `127.0.0.1:${room.ports.crac1}`, '.1.3.6.1.4.1.476.1.42.3.4.1.3.3.1.3']);
    const rowOf = (oid: string) => names.split('\n').find((l) => l.endsWith(` ${oid}`))!.split(' ')[0]!.split('.').pop();
    const supplyRow = rowOf('.1.3.6.1.4.1.476.1.42.3.4.1.1.3');
    expect(values).toContain(`.1.3.6.1.4.1.476.1.42.3.4.1.3.3.1.3.${supplyRow} ${expected('crac-1', valueKey('temperature', { sensor: 'supply_air' }))}`);
  });

  it('snmpget fails on a wrong community, as a real agent does', async () => {
    await expect(snmp('snmpget', ['-v2c', '-c', 'wrong', `127.0.0.1:${room.ports.ups1}`, '.1.3.6.1.2.1.33.1.2.4.0'])).rejects.toThrow(/Timeout/);
  });

  it('mbpoll reads the SDM630 float registers over Modbus TCP', async () => {
    const { stdout } = await run('mbpoll', ['-m', 'tcp', '-p', String(room.ports.meter1), '-a', '1', '-t', '3:float', '-B', '-0', '-r', '0', '-c', '3', '-1', '127.0.0.1']);
    for (const phase of [1, 2, 3]) {
      const want = expected('meter-1', valueKey('voltage', { phase: String(phase) })) as number;
      const got = Number(new RegExp(`^\\[${(phase - 1) * 2}\\]:\\s+(\\S+)`, 'm').exec(stdout)![1]);
      expect(Math.abs(got - want)).toBeLessThan(0.01);
    }
  });

  it('mbpoll reads the CRAC over RTU on the serial line (pseudo-terminal)', async () => {
    const { stdout } = await run('mbpoll', ['-m', 'rtu', '-b', '9600', '-P', 'none', '-a', '5', '-t', '3', '-0', '-r', '0', '-c', '2', '-1', '-o', '1', room.serialPath]);
    const returnAir = Math.round((expected('crac-3', valueKey('temperature', { sensor: 'return_air' })) as number) * 10);
    expect(stdout).toMatch(new RegExp(`^\\[0\\]:\\s+${returnAir}$`, 'm'));
  });

  it('pymodbus reads the sensors behind the RTU-over-TCP gateway', async () => {
    const script = `
from pymodbus.client import ModbusTcpClient
from pymodbus.transaction import ModbusRtuFramer
c = ModbusTcpClient("127.0.0.1", port=${room.ports.gateway}, framer=ModbusRtuFramer)
c.connect()
r = c.read_input_registers(1, 2, slave=1)
d = c.read_discrete_inputs(0, 2, slave=2)
print(r.registers[0], r.registers[1], int(d.bits[0]), int(d.bits[1]))
`;
    const { stdout } = await run('/usr/bin/python3', ['-c', script]);
    const [t, h, leak, broken] = stdout.trim().split(' ').map(Number);
    expect(t).toBe(Math.round((expected('th-1', 'temperature') as number) * 10));
    expect(h).toBe(Math.round((expected('th-1', 'humidity') as number) * 10));
    expect([leak, broken]).toEqual([expected('leak-1', 'leak_detected'), 0]);
  });
});
