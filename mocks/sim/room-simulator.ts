import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeviceSpec } from '../../common/contracts/device.js';
import type { ModbusPoint } from '../../collector/drivers/modbus/types.js';
import { writePoint } from '../encode.js';
import { ModbusRtuOverTcpGateway, ModbusRtuSerialSlave } from '../modbus-rtu.js';
import { createBank, ModbusTcpServer, type RegisterBank, type SlaveLookup } from '../modbus-tcp-server.js';
import type { SimClock } from './clock.js';
import { FaultSet, type FaultKind } from './faults.js';
import { RoomModel, valueKey, type SimDevice } from './room-model.js';
import { SimSnmpAgent } from './snmp-agent.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const REFRESH_MS = 200;

interface ModbusSlave {
  spec: DeviceSpec;
  sim: SimDevice;
  bank: RegisterBank;
  refreshedAt: number;
}

/** How many servers of each kind a simulator runs, for logs and the demo banner. */
export interface SimulatorSummary {
  devices: number;
  snmpAgents: number;
  modbusTcpServers: number;
  rtuGateways: number;
  serialLines: number;
}

/**
 * Serves every device of a roomwatch configuration that lives on this machine (loopback hosts and
 * serial lines), each with the protocol and layout its template describes, from one room model.
 * The daemon and the simulator read the same file, so what roomwatch polls is what is served.
 */
export class RoomSimulator {
  readonly faults = new FaultSet();
  readonly model: RoomModel;
  readonly devices: SimDevice[];
  readonly #specs: DeviceSpec[];
  readonly #closers: Array<() => Promise<void> | void> = [];
  readonly #socats: ChildProcess[] = [];

  constructor(config: { devices: readonly DeviceSpec[] }, readonly clock: SimClock, seed: number) {
    this.#specs = config.devices.filter((d) => (d.snmp ? LOOPBACK.has(d.snmp.host) : d.modbus!.line.transport === 'rtu' || LOOPBACK.has(d.modbus!.line.host ?? '')));
    this.devices = this.#specs.map((spec) => ({
      id: spec.id,
      room: spec.room,
      site: spec.site,
      category: spec.template.category,
      phases: Number(spec.tags.phases ?? (spec.template.name === 'ups-rfc1628' ? 3 : 1)),
    }));
    this.model = new RoomModel(seed, this.devices, this.faults, clock.now());
  }

  async start(): Promise<SimulatorSummary> {
    const summary: SimulatorSummary = { devices: this.#specs.length, snmpAgents: 0, modbusTcpServers: 0, rtuGateways: 0, serialLines: 0 };
    const lines = new Map<string, ModbusSlave[]>();
    this.#specs.forEach((spec, i) => {
      const sim = this.devices[i]!;
      if (spec.snmp) {
        const agent = new SimSnmpAgent({ spec, values: () => this.model.values(sim, this.clock.now()), behaviour: () => this.model.behaviour(sim, this.clock.now()) }, spec.snmp.port);
        this.#closers.push(() => agent.close());
        summary.snmpAgents++;
      } else {
        const key = spec.modbus!.line.key;
        lines.set(key, [...(lines.get(key) ?? []), { spec, sim, bank: createBank(maxAddress(spec)), refreshedAt: 0 }]);
      }
    });
    for (const slaves of lines.values()) {
      const line = slaves[0]!.spec.modbus!.line;
      const lookup = this.#lookup(slaves);
      if (line.transport === 'tcp') {
        const server = new ModbusTcpServer(lookup);
        await server.listen(line.port);
        this.#closers.push(() => server.close());
        summary.modbusTcpServers++;
      } else if (line.transport === 'rtu-over-tcp') {
        const gateway = new ModbusRtuOverTcpGateway(lookup);
        await gateway.listen(line.port);
        this.#closers.push(() => gateway.close());
        summary.rtuGateways++;
      } else {
        const simEnd = await this.#ptyPair(line.serialPath!);
        const slave = new ModbusRtuSerialSlave(simEnd, lookup, line.baudRate);
        await slave.open();
        this.#closers.push(() => slave.close());
        summary.serialLines++;
      }
    }
    return summary;
  }

  async stop(): Promise<void> {
    for (const close of this.#closers.splice(0)) await close();
    for (const socat of this.#socats) socat.kill();
  }

  inject(kind: FaultKind, target: string, durationMs?: number, at = this.clock.now()): void {
    this.faults.add({ kind, target, since: at, until: durationMs === undefined ? undefined : at + durationMs });
  }

  #lookup(slaves: ModbusSlave[]): SlaveLookup {
    const byUnit = new Map(slaves.map((s) => [s.spec.modbus!.unitId, s]));
    return {
      bank: (unitId) => {
        const slave = byUnit.get(unitId);
        if (!slave) return undefined;
        const now = Date.now();
        if (now - slave.refreshedAt >= REFRESH_MS) {
          slave.refreshedAt = now;
          const values = this.model.values(slave.sim, this.clock.now());
          for (const point of slave.spec.template.points as ModbusPoint[]) {
            const value = values[valueKey(point.field, point.tags)];
            if (value !== undefined) writePoint(slave.bank, point, value);
          }
        }
        return slave.bank;
      },
      behaviour: (unitId) => {
        const slave = byUnit.get(unitId);
        return slave ? this.model.behaviour(slave.sim, this.clock.now()) : 'normal';
      },
    };
  }

  /** A socat pseudo-terminal pair: the daemon opens `path`, the simulator the other end. */
  async #ptyPair(path: string): Promise<string> {
    const simEnd = `${path}.sim`;
    mkdirSync(dirname(path), { recursive: true });
    rmSync(path, { force: true });
    rmSync(simEnd, { force: true });
    const socat = spawn('socat', [`pty,raw,echo=0,link=${path}`, `pty,raw,echo=0,link=${simEnd}`], { stdio: 'ignore' });
    this.#socats.push(socat);
    const deadline = Date.now() + 5000;
    while (!(existsSync(path) && existsSync(simEnd))) {
      if (Date.now() > deadline || socat.exitCode !== null) throw new Error(`socat could not create the pseudo-terminal pair ${path} / ${simEnd}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return simEnd;
  }
}

function maxAddress(spec: DeviceSpec): number {
  const points = spec.template.points as ModbusPoint[];
  return Math.max(64, ...points.map((p) => p.address + p.count + 1));
}
