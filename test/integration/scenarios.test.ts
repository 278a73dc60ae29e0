import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestInfluxd } from '../../mocks/influxd.js';
import { SimClock } from '../../mocks/sim/clock.js';
import { RoomSimulator } from '../../mocks/sim/room-simulator.js';
import { loadScenario, startScenario } from '../../mocks/sim/scenario.js';
import { writeSimRoom } from '../helpers/sim-room.js';
import { eventually, sleep, startDaemon, type Child } from '../helpers/processes.js';

// The collector polls every second of wall time; the simulated room runs faster, so minutes of
// physics pass between polls. Assertions read what the real daemon stored in a real influxd.
const influxd = new TestInfluxd();
let simulator: RoomSimulator;
let daemon: Child;

beforeAll(async () => {
  await influxd.start();
  const room = await writeSimRoom(influxd.url, 1);
  simulator = new RoomSimulator(room.config, new SimClock(1, Date.UTC(2026, 10, 21, 6)), 7);
  await simulator.start();
  daemon = startDaemon(room.file);
  await daemon.waitFor('roomwatch running');
  await eventually(async () => (await influxd.query('sim', 'SELECT last(comms) FROM device_health GROUP BY device')).length === 10, 20_000, 'first polls of all devices');
}, 60_000);
afterAll(async () => {
  await daemon?.stop();
  await simulator?.stop();
  await influxd.destroy();
});

type Row = { time: number; value: number };
async function series(measurement: string, field: string, device: string, since: number, extra = ''): Promise<Row[]> {
  return influxd.query<Row>('sim', `SELECT ${field} AS value FROM ${measurement} WHERE device = '${device}' ${extra} AND time >= ${since}ms`);
}
async function last(measurement: string, field: string, device: string, extra = ''): Promise<number | undefined> {
  return (await influxd.query<Row>('sim', `SELECT last(${field}) AS value FROM ${measurement} WHERE device = '${device}' ${extra}`)).at(0)?.value;
}
/** Waits until the stored value satisfies `test`; returns the wall time it took. */
async function until(measurement: string, field: string, device: string, test: (v: number) => boolean, extra = '', timeoutMs = 15_000): Promise<number> {
  const start = Date.now();
  await eventually(async () => {
    const value = await last(measurement, field, device, extra);
    return value !== undefined && test(value);
  }, timeoutMs, `${device} ${measurement}.${field}`);
  return Date.now() - start;
}

describe('fault scenarios change what roomwatch stores, in the expected direction and time', () => {
  it('mains failure (scenario file, played at 240×): UPS on battery, charge falls, incomer dead, CRACs stop; then recovery and recharge', async () => {
    const { scenario } = loadScenario('mains-failure');
    startScenario(simulator, scenario!);
    simulator.clock.setScale(240); // 40 simulated minutes of outage in 10 s
    const started = Date.now();
    // The outage starts 1 simulated minute in (0.25 s); the next 1 s poll must see it.
    const onBattery = await until('ups', 'output_source', 'ups-1', (v) => v === 5);
    expect(onBattery).toBeLessThan(3000);
    await until('power_meter', 'voltage', 'meter-1', (v) => v === 0, "AND phase = '1'");
    await until('crac', 'operating_state', 'crac-2', (v) => v === 0);
    await sleep(4000);
    const charge = await series('ups', 'battery_charge', 'ups-1', started);
    const during = charge.filter((r) => r.time < started + 9000).map((r) => r.value);
    expect(during.at(-1)!).toBeLessThan(during[0]!);
    expect(during.every((v, i) => i === 0 || v <= during[i - 1]!)).toBe(true);

    await until('ups', 'output_source', 'ups-1', (v) => v === 3, '', 20_000);
    const lowest = Math.min(...(await series('ups', 'battery_charge', 'ups-1', started)).map((r) => r.value));
    await until('ups', 'battery_charge', 'ups-1', (v) => v > lowest);
    simulator.clock.setScale(1);
  });

  it('compressor failure: the unit stops cooling, its supply air and then the room warm up, and cool again after recovery', async () => {
    simulator.clock.setScale(120);
    // Let the room settle after the outage before the fault: supply air back at its 18 °C setpoint.
    await until('crac', 'temperature', 'crac-1', (v) => v <= 18.6, "AND sensor = 'supply_air'");
    const supplyBefore = (await last('crac', 'temperature', 'crac-1', "AND sensor = 'supply_air'"))!;
    const roomBefore = (await last('environment', 'temperature', 'th-1'))!;
    simulator.inject('compressor_failure', 'crac-1', 20 * 60_000);
    await until('crac', 'cooling_state', 'crac-1', (v) => v === 2);
    await until('crac', 'temperature', 'crac-1', (v) => v >= supplyBefore + 3, "AND sensor = 'supply_air'");
    await until('environment', 'temperature', 'th-1', (v) => v >= roomBefore + 1);
    await until('crac', 'cooling_state', 'crac-1', (v) => v === 1, '', 15_000);
    await until('crac', 'temperature', 'crac-1', (v) => v <= supplyBefore + 1, "AND sensor = 'supply_air'");
    simulator.clock.setScale(1);
  });

  it('high humidity and a water leak raise humidity past 60 %RH and set the leak input', async () => {
    simulator.clock.setScale(120);
    simulator.inject('high_humidity', 'room-1', 30 * 60_000);
    simulator.inject('water_leak', 'leak-1', 5 * 60_000);
    await until('leak', 'leak_detected', 'leak-1', (v) => v === 1, '', 3000);
    expect(await last('leak', 'leak_position', 'leak-1')).toBeGreaterThan(0);
    await until('environment', 'humidity', 'th-1', (v) => v > 60);
    await until('leak', 'leak_detected', 'leak-1', (v) => v === 0);
    simulator.faults.clear('high_humidity', 'room-1');
    simulator.clock.setScale(1);
  });

  it('a feeder breaker trip drops its currents to 0 while voltage stays; a UPS overload pushes its load past 80 %', async () => {
    simulator.inject('breaker_trip', 'meter-2');
    simulator.inject('overload', 'ups-1');
    await until('power_meter', 'current', 'meter-2', (v) => v === 0, "AND phase = '2'", 5000);
    expect(await last('power_meter', 'voltage', 'meter-2', "AND phase = '2'")).toBeGreaterThan(200);
    await until('ups', 'output_load', 'ups-1', (v) => v > 80, "AND phase = '1'", 5000);
    simulator.faults.clear('breaker_trip', 'meter-2');
    simulator.faults.clear('overload', 'ups-1');
    await until('power_meter', 'current', 'meter-2', (v) => v > 0, "AND phase = '2'", 5000);
  });

  it('silent, garbage-answering and flapping devices are recorded as down (and the flapping one up again)', async () => {
    const since = Date.now();
    simulator.clock.setScale(10); // flapping toggles every 20 simulated seconds = 2 s
    simulator.inject('silent', 'th-1');
    simulator.inject('garbage', 'meter-1');
    simulator.inject('flapping', 'ups-2');
    await until('device_health', 'comms', 'th-1', (v) => v === 0, '', 5000);
    await until('device_health', 'comms', 'meter-1', (v) => v === 0, '', 5000);
    await sleep(6000);
    const flaps = (await series('device_health', 'comms', 'ups-2', since)).map((r) => r.value);
    expect(flaps).toContain(0);
    expect(flaps.slice(flaps.indexOf(0))).toContain(1);
    expect(daemon.alive).toBe(true);
    for (const [kind, target] of [['silent', 'th-1'], ['garbage', 'meter-1'], ['flapping', 'ups-2']] as const) simulator.faults.clear(kind, target);
    await until('device_health', 'comms', 'meter-1', (v) => v === 1, '', 8000);
    await until('device_health', 'comms', 'th-1', (v) => v === 1, '', 8000);
    simulator.clock.setScale(1);
  });
});
