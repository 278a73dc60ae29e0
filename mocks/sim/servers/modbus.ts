import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeviceSpec } from '../../../common/contracts/device.js';
import type { ModbusLine, ModbusPoint } from '../../../collector/drivers/modbus/types.js';
import { writePoint } from '../../encode.js';
import { ModbusRtuOverTcpGateway, ModbusRtuSerialSlave } from '../../modbus-rtu.js';
import { createBank, ModbusTcpServer, type RegisterBank, type SlaveLookup } from '../../modbus-tcp-server.js';
import type { SimClock } from '../clock.js';
import { valueKey, type RoomModel } from '../room-model.js';
import { closeAll, LOOPBACK, type ServedDevice, type SimulatorServer } from './server.js';

const REFRESH_MS = 200;

interface Slave extends ServedDevice {
  bank: RegisterBank;
  refreshedAt: number;
}

/**
 * One server per Modbus line (the `line.key` the daemon queues on): a TCP server, an RTU-over-TCP
 * gateway, or an RTU slave on one end of a socat pseudo-terminal pair whose other end is the
 * device's `serial_path`. Devices on a line answer by unit id, as on a real bus.
 */
export const modbusSimulator: SimulatorServer<'modbus'> = {
  driver: 'modbus',
  serves: (spec) => spec.modbus !== undefined && (spec.modbus.line.transport === 'rtu' || LOOPBACK.has(spec.modbus.line.host ?? '')),
  async start(devices, model, clock) {
    const lines = new Map<string, Slave[]>();
    for (const device of devices) {
      const key = device.spec.modbus!.line.key;
      lines.set(key, [...(lines.get(key) ?? []), { ...device, bank: createBank(maxAddress(device.spec)), refreshedAt: 0 }]);
    }
    const closers: Array<() => Promise<void> | void> = [];
    const summary = { modbusTcpServers: 0, rtuGateways: 0, serialLines: 0 };
    try {
      for (const slaves of lines.values()) {
        const line = slaves[0]!.spec.modbus!.line;
        const lookup = slaveLookup(slaves, model, clock);
        if (line.transport === 'tcp') {
          const server = new ModbusTcpServer(lookup);
          await server.listen(line.port);
          closers.push(() => server.close());
          summary.modbusTcpServers++;
        } else if (line.transport === 'rtu-over-tcp') {
          const gateway = new ModbusRtuOverTcpGateway(lookup);
          await gateway.listen(line.port);
          closers.push(() => gateway.close());
          summary.rtuGateways++;
        } else {
          await serveSerialLine(line, lookup, closers);
          summary.serialLines++;
        }
      }
    } catch (error) {
      await closeAll(closers).catch(() => undefined);
      throw error;
    }
    return { close: () => closeAll(closers), summary };
  },
};

/** Register banks refreshed from the model at most every 200 ms of simulated time (see snmp-agent.ts), when a request asks for them. */
function slaveLookup(slaves: readonly Slave[], model: RoomModel, clock: SimClock): SlaveLookup {
  const byUnit = new Map(slaves.map((s) => [s.spec.modbus!.unitId, s]));
  return {
    bank: (unitId) => {
      const slave = byUnit.get(unitId);
      if (!slave) return undefined;
      const now = clock.now();
      if (Math.abs(now - slave.refreshedAt) >= REFRESH_MS) {
        slave.refreshedAt = now;
        const values = model.values(slave.sim, clock.now());
        for (const point of slave.spec.template.points as ModbusPoint[]) {
          const value = values[valueKey(point.field, point.tags)];
          if (value !== undefined) writePoint(slave.bank, point, value);
        }
      }
      return slave.bank;
    },
    behaviour: (unitId) => {
      const slave = byUnit.get(unitId);
      return slave ? model.behaviour(slave.sim, clock.now()) : 'normal';
    },
  };
}

/** An RTU slave on the far end of a pseudo-terminal pair; closing it stops the slave, then socat. */
async function serveSerialLine(line: ModbusLine, lookup: SlaveLookup, closers: Array<() => Promise<void> | void>): Promise<void> {
  const { simEnd, socat } = await ptyPair(line.serialPath!);
  const slave = new ModbusRtuSerialSlave(simEnd, lookup, line.baudRate);
  try {
    await slave.open();
  } catch (error) {
    socat.kill();
    throw error;
  }
  closers.push(async () => {
    try {
      await slave.close();
    } finally {
      socat.kill();
    }
  });
}

/** A socat pseudo-terminal pair: the daemon opens `path`, the simulator the other end. */
async function ptyPair(path: string): Promise<{ simEnd: string; socat: ChildProcess }> {
  const simEnd = `${path}.sim`;
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  rmSync(simEnd, { force: true });
  const socat = spawn('socat', [`pty,raw,echo=0,link=${path}`, `pty,raw,echo=0,link=${simEnd}`], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  while (!(existsSync(path) && existsSync(simEnd))) {
    if (Date.now() > deadline || socat.exitCode !== null) {
      socat.kill();
      throw new Error(`socat could not create the pseudo-terminal pair ${path} / ${simEnd}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { simEnd, socat };
}

function maxAddress(spec: DeviceSpec): number {
  const points = spec.template.points as ModbusPoint[];
  return Math.max(64, ...points.map((p) => p.address + p.count + 1));
}
