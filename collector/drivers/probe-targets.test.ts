import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { Device } from '../devices/schema.js';
import { modbusProbe } from './modbus/probe.js';
import { snmpProbe } from './snmp/probe.js';

const context = (driver: 'snmp' | 'modbus') => ({ timeoutMs: 750, defaults: Value.Default(Device.properties[driver], {}) as Record<string, unknown> });

describe('probe targets from command-line values', () => {
  it('SNMP: the device section defaults fill what the options leave out, and keys decide the v3 level', () => {
    const target = snmpProbe.target({ host: 'ups1', 'snmp-version': '3', user: 'monitor' }, { ROOMWATCH_SNMP_AUTH_KEY: 'auth-secret' }, context('snmp'));
    expect(typeof target).toBe('object');
    if (typeof target === 'string') return;
    expect({ ...target, authKey: target.authKey?.reveal() }).toEqual({
      host: 'ups1', port: 161, version: '3', community: undefined, user: 'monitor', securityLevel: 'authNoPriv', authProtocol: 'sha', authKey: 'auth-secret',
      privProtocol: undefined, privKey: undefined, timeoutMs: 750, retries: 1, maxConcurrency: 4, maxOidsPerRequest: 16, maxRepetitions: 20,
    });
  });

  it('SNMP: v2c without a community is refused with the option to give', () => {
    expect(snmpProbe.target({ host: 'ups1' }, {}, context('snmp'))).toBe('--community (or ROOMWATCH_SNMP_COMMUNITY) is required for SNMP v1/v2c');
  });

  it('Modbus: an RTU line gets the schema serial defaults and an inter-frame gap', () => {
    const target = modbusProbe.target({ transport: 'rtu', 'serial-path': '/dev/ttyUSB0', 'unit-id': '7' }, {}, context('modbus'));
    expect(target).toEqual({
      line: { key: 'probe', transport: 'rtu', host: undefined, port: 502, serialPath: '/dev/ttyUSB0', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1, interFrameDelayMs: 5 },
      unitId: 7, timeoutMs: 750, retries: 1, maxGap: 8, maxRegisters: 125,
    });
  });

  it('Modbus: an out-of-range number names the option and its range', () => {
    expect(modbusProbe.target({ transport: 'tcp', host: 'm1', 'baud-rate': '50' }, {}, context('modbus'))).toBe('--baud-rate must be an integer from 300 to 921600, got "50"');
  });
});
