import { describe, expect, it } from 'vitest';
import { FaultSet } from './faults.js';
import { RoomModel, valueKey, type SimDevice } from './room-model.js';

const START = Date.UTC(2026, 10, 21, 2);
const devices: SimDevice[] = [
  { id: 'ups-a', room: 'r1', site: 's', category: 'ups', phases: 3 },
  { id: 'crac-a', room: 'r1', site: 's', category: 'crac', phases: 1 },
  { id: 'th-a', room: 'r1', site: 's', category: 'environment', phases: 1 },
];
const model = (seed = 1) => new RoomModel(seed, devices, new FaultSet(), START);

describe('RoomModel', () => {
  it('gives an IT-load meter its share of the incomer power, so the room reads a plausible PUE', () => {
    const meters: SimDevice[] = [
      { id: 'incomer', room: 'r1', site: 's', category: 'power_meter', phases: 3 },
      { id: 'it', room: 'r1', site: 's', category: 'power_meter', phases: 3, powerShare: 1 / 1.6 },
    ];
    const room = new RoomModel(3, meters, new FaultSet(), START);
    const at = START + 60_000;
    const pue = (room.values(meters[0]!, at).power_active_total as number) / (room.values(meters[1]!, at).power_active_total as number);
    expect(pue).toBeGreaterThan(1.4);
    expect(pue).toBeLessThan(1.8);
  });

  it('keeps an IT-load meter behind the UPS reading through a mains failure, until the battery is flat', () => {
    const room: SimDevice[] = [
      { id: 'ups', room: 'r1', site: 's', category: 'ups', phases: 1 },
      { id: 'incomer', room: 'r1', site: 's', category: 'power_meter', phases: 3 },
      { id: 'it', room: 'r1', site: 's', category: 'power_meter', phases: 3, powerShare: 1 / 1.6, behindUps: true },
    ];
    const sim = new RoomModel(3, room, new FaultSet(), START);
    sim.faults.add({ kind: 'mains_failure', target: 'r1', since: START });
    const at = START + 60_000;
    expect(sim.values(room[1]!, at).power_active_total).toBe(0);
    expect(sim.values(room[2]!, at).power_active_total as number).toBeGreaterThan(1000);
    const flat = START + 6 * 3_600_000;
    expect(sim.values(room[0]!, flat).battery_charge).toBe(0);
    expect(sim.values(room[2]!, flat).power_active_total).toBe(0);
  });

  it('replays the same room for the same seed, whatever the order of observation', () => {
    const a = model(5);
    const b = model(5);
    const times = [60_000, 120_000, 600_000].map((t) => START + t);
    const viaA = times.map((t) => a.values(devices[0]!, t));
    b.values(devices[2]!, START + 600_000); // observe another device first and further ahead
    expect(b.values(devices[0]!, times[2]!)).toEqual(viaA[2]);
    expect(model(6).values(devices[0]!, times[2]!)).not.toEqual(viaA[2]);
  });

  it('drains the battery faster under more load, and recharges on mains', () => {
    const light = model();
    const heavy = model();
    light.faults.add({ kind: 'mains_failure', target: 'r1', since: START });
    heavy.faults.add({ kind: 'mains_failure', target: 'r1', since: START });
    heavy.faults.add({ kind: 'overload', target: 'ups-a', since: START });
    const at = START + 10 * 60_000;
    const lightCharge = light.values(devices[0]!, at).battery_charge as number;
    const heavyCharge = heavy.values(devices[0]!, at).battery_charge as number;
    expect(heavyCharge).toBeLessThan(lightCharge);
    expect(lightCharge).toBeLessThan(100);
    expect(light.values(devices[0]!, at).output_source).toBe(5);
    light.faults.clear('mains_failure', 'r1');
    const later = light.values(devices[0]!, at + 30 * 60_000);
    expect(later.output_source).toBe(3);
    expect(later.battery_charge as number).toBeGreaterThan(lightCharge);
  });

  it('warms the room when cooling is lost and reports it at the rack inlet', () => {
    const room = model();
    const before = room.values(devices[2]!, START + 60_000).temperature as number;
    room.faults.add({ kind: 'compressor_failure', target: 'crac-a', since: START + 60_000 });
    const after = room.values(devices[2]!, START + 31 * 60_000).temperature as number;
    expect(after).toBeGreaterThan(before + 3);
    expect(room.values(devices[1]!, START + 31 * 60_000)[valueKey('temperature', { sensor: 'supply_air' })] as number).toBeGreaterThan(22);
  });

  it('lists a CRAC’s active conditions as rows of the Liebert conditions table, and none while it is healthy', () => {
    const room = model();
    const conditions = (at: number) => Object.entries(room.values(devices[1]!, at)).filter(([key]) => key.startsWith('active_condition['));
    expect(conditions(START + 60_000)).toEqual([]);
    room.faults.add({ kind: 'compressor_failure', target: 'crac-a', since: START + 60_000, until: START + 120_000 });
    room.faults.add({ kind: 'fan_failure', target: 'crac-a', since: START + 90_000, until: START + 120_000 });
    expect(conditions(START + 70_000)).toEqual([[valueKey('active_condition', { condition_id: '1' }), 'compressor_high_head_pressure']]);
    expect(conditions(START + 100_000).map(([, v]) => v)).toEqual(['compressor_high_head_pressure', 'fan_failure']);
    expect(conditions(START + 130_000)).toEqual([]);
  });
});

