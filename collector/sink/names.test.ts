import { describe, expect, it } from 'vitest';
import { config } from '../../test/helpers/engine-bed.js';
import type { Reading } from '../../common/contracts/reading.js';
import { displayNames } from './names.js';
import { PointBuilder, readingsToPoints } from './points.js';

describe('display-name tags on reading points', () => {
  it('name the site, room and device of each point from the configuration, the id where no name is configured', () => {
    const cfg = config('', '  - { id: th-9, site: s1, room: r2, template: th-sensor-modbus, modbus: { transport: tcp, host: 10.0.0.9 } }\n');
    const builder = new PointBuilder(displayNames(cfg));
    const ups = cfg.devices.find((d) => d.id === 'ups-1')!;
    const unnamed = cfg.devices.find((d) => d.id === 'th-9')!;
    const time = 1_800_000_000_000;
    const points = builder.toPoints([
      { measurement: 'ups', field: 'output_load', tags: { ...ups.tags, phase: '1' }, value: 40, source: 'x', time },
      { measurement: 'environment', field: 'temperature', tags: unnamed.tags, value: 22, source: 'x', time },
    ]);
    expect(points[0]!.t).toMatchObject({ site: 's1', room: 'r1', device: 'ups-1', phase: '1', site_name: '省公司', room_name: '主机房', device_name: '1号UPS' });
    expect(points[1]!.t).toMatchObject({ room: 'r2', room_name: '二号机房', device: 'th-9', device_name: 'th-9' });
  });

  it('leave the readings\' tags (what alerting derives alert ids and labels from) untouched', () => {
    const cfg = config();
    const builder = new PointBuilder(displayNames(cfg));
    const tags = Object.freeze({ ...cfg.devices[0]!.tags });
    const before = JSON.stringify(tags);
    const reading: Reading = { measurement: 'ups', field: 'battery_charge', tags, value: 97, source: 'x', time: 1 };
    // Frozen: a builder that wrote the names into the reading's own tags would throw here.
    const [point] = builder.toPoints([reading, { ...reading, field: 'battery_status', value: 2 }]);
    expect(JSON.stringify(reading.tags)).toBe(before);
    expect(reading.tags).not.toHaveProperty('site_name');
    expect(point!.f).toEqual({ battery_charge: 97, battery_status: 2 });
    expect(point!.t.device_name).toBe('1号UPS');
  });

  it('win over a device label of the same key, and leave ids the configuration does not know alone', () => {
    const cfg = config();
    const builder = new PointBuilder(displayNames(cfg));
    const [named] = builder.toPoints([{ measurement: 'ups', field: 'f', tags: { site: 's1', device: 'ups-1', device_name: 'label' }, value: 1, source: 'x', time: 1 }]);
    expect(named!.t.device_name).toBe('1号UPS');
    const [unknown] = builder.toPoints([{ measurement: 'ups', field: 'f', tags: { site: 'elsewhere', device: 'nobody' }, value: 1, source: 'x', time: 1 }]);
    expect(unknown!.t).toEqual({ site: 'elsewhere', device: 'nobody' });
    expect(readingsToPoints([{ measurement: 'ups', field: 'f', tags: { site: 's1' }, value: 1, source: 'x', time: 1 }])[0]!.t).toEqual({ site: 's1' });
  });
});
