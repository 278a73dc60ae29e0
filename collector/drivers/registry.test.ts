import { describe, expect, it } from 'vitest';
import { DRIVERS, driverFor } from './registry.js';
import { Device, DEVICE_COLLECTIONS } from '../devices/schema.js';
import { templatePointSchema, templateSchema } from '../templates/schema.js';
import { TemplateRule } from '../../alerting/config/template-rules.js';

// The composed schemas spread each driver's keys after the shared ones: a driver key with the same
// name as a shared one would silently replace it, so these invariants guard every new driver.
describe('driver registry', () => {
  it('lists each driver once and finds it by id', () => {
    const ids = DRIVERS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const driver of DRIVERS) expect(driverFor(driver.id)).toBe(driver);
    expect(() => driverFor('bacnet')).toThrow('no driver "bacnet" is registered; drivers are: snmp, modbus');
  });

  it('composes template points from the meaning keys and each driver\'s own, none shadowing another', () => {
    const meaningKeys = ['field', 'measurement', 'description', 'unit', 'scale', 'binary_point', 'offset', 'unavailable', 'states', 'tags', 'value_names'];
    for (const driver of DRIVERS) {
      expect(Object.keys(driver.point).filter((key) => meaningKeys.includes(key))).toEqual([]);
      expect(Object.keys(templatePointSchema(driver).properties)).toEqual([...meaningKeys, ...Object.keys(driver.point)]);
    }
  });

  it('gives each driver a device section and its own top-level lists, in registry order', () => {
    const deviceKeys = Object.keys(Device.properties);
    expect(deviceKeys.slice(-DRIVERS.length)).toEqual(DRIVERS.map((d) => d.id));
    const collections = DRIVERS.flatMap((d) => Object.keys(d.collections ?? {}));
    expect(Object.keys(DEVICE_COLLECTIONS)).toEqual([...collections, 'devices']);
    expect(templateSchema(TemplateRule).properties.driver.description).toBe(DRIVERS.map((d) => d.id).join(' or '));
  });

  it('no two drivers claim the same probe option', () => {
    const names = DRIVERS.flatMap((d) => Object.keys(d.probe.options));
    expect(names.length).toBe(new Set(names).size);
  });
});
