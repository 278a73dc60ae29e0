import { describe, expect, it } from 'vitest';
import { DRIVERS, driverFor } from './registry.js';

describe('driver registry', () => {
  it('lists SNMP before Modbus (the order of messages) and finds each by id', () => {
    expect(DRIVERS.map((d) => d.id)).toEqual(['snmp', 'modbus']);
    for (const driver of DRIVERS) expect(driverFor(driver.id)).toBe(driver);
  });

  it('an unknown id is an error naming the known ones', () => {
    expect(() => driverFor('bacnet')).toThrow('no driver "bacnet"; known: snmp, modbus');
  });

  it('no two drivers claim the same probe option', () => {
    const names = DRIVERS.flatMap((d) => Object.keys(d.probe.options));
    expect(names.length).toBe(new Set(names).size);
  });
});
