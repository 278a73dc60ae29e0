import { SimSnmpAgent } from '../snmp-agent.js';
import { closeAll, LOOPBACK, type SimulatorServer } from './server.js';

/** One net-snmp agent per device, each on the UDP port its `snmp` section names. */
export const snmpSimulator: SimulatorServer<'snmp'> = {
  driver: 'snmp',
  serves: (spec) => spec.snmp !== undefined && LOOPBACK.has(spec.snmp.host),
  start(devices, model, clock) {
    const agents = devices.map(
      ({ spec, sim }) => new SimSnmpAgent({ spec, now: () => clock.now(), values: () => model.values(sim, clock.now()), behaviour: () => model.behaviour(sim, clock.now()) }, spec.snmp!.port),
    );
    return Promise.resolve({ close: () => closeAll(agents.map((agent) => () => agent.close())), summary: { snmpAgents: agents.length } });
  },
};
