import type { FaultSet, Placement } from './faults.js';
import { hash, noise } from './noise.js';

/** A device as the simulation sees it: where it is and what kind of equipment it is. */
export interface SimDevice extends Placement {
  category: string;
  /** Phases a UPS reports in its tables (3 for a three-phase UPS, 1 otherwise). */
  phases: number;
  /** Share of the room's incoming power a meter carries (the IT-load meter less than the incomer); default 1. */
  powerShare?: number;
  /** A meter on the UPS output side (IT load): it keeps reading while the room's UPSs run on battery. */
  behindUps?: boolean;
}

export type SimValues = Record<string, number | string>;

const STEP_MS = 5000;
const HOUR = 3_600_000;
const ROOM_TAU_MS = 10 * 60_000;
const SUPPLY_TAU_MS = 3 * 60_000;
const FULL_RUNTIME_AT_HALF_LOAD_MIN = 30;

/** `field[tag=value,...]`: how the simulation names one reading, matching template points. */
export function valueKey(field: string, tags: Readonly<Record<string, string>> = {}): string {
  const parts = Object.keys(tags).sort().map((k) => `${k}=${tags[k]}`);
  return parts.length ? `${field}[${parts.join(',')}]` : field;
}

interface RoomState {
  temperature: number;
  humidity: number;
}
interface UpsState {
  charge: number;
  onBatterySince?: number;
}
interface CracState {
  supply: number;
  runHours: number;
}

/**
 * The physics of the simulated rooms. IT load follows a daily curve; CRACs pull the room towards
 * 22 °C in proportion to the cooling they deliver; UPS batteries drain at a rate that follows load
 * and recharge when mains returns. State advances in fixed 5-second steps of simulated time, and
 * noise is a function of (seed, quantity, time), so a seed replays the same room.
 */
export class RoomModel {
  readonly #rooms = new Map<string, RoomState>();
  readonly #ups = new Map<string, UpsState>();
  readonly #crac = new Map<string, CracState>();
  readonly #energy = new Map<string, number>();
  #time: number;

  constructor(private readonly seed: number, private readonly devices: readonly SimDevice[], readonly faults: FaultSet, start: number) {
    this.#time = Math.floor(start / STEP_MS) * STEP_MS;
    for (const d of devices) {
      if (!this.#rooms.has(d.room)) this.#rooms.set(d.room, { temperature: 22, humidity: 45 });
      if (d.category === 'ups') this.#ups.set(d.id, { charge: 100 });
      if (d.category === 'crac') this.#crac.set(d.id, { supply: 18, runHours: 10_000 + (hash(d.id) % 5000) });
      if (d.category === 'power_meter') this.#energy.set(d.id, 10_000 + (hash(d.id) % 50_000));
    }
  }

  /** Fraction of rated IT load at `time`: low at night, peak in the afternoon (UTC+8). */
  itLoad(time: number): number {
    const hour = ((time / HOUR + 8) % 24 + 24) % 24;
    return 0.45 + 0.12 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
  }

  /** Brings the state up to `now` and returns what the device would report. */
  values(device: SimDevice, now: number): SimValues {
    this.#advance(now);
    const n = (key: string, amplitude: number) => amplitude * noise(this.seed, `${device.id}:${key}`, now);
    switch (device.category) {
      case 'ups':
        return this.#upsValues(device, now, n);
      case 'crac':
        return this.#cracValues(device, now, n);
      case 'power_meter':
        return this.#meterValues(device, now, n);
      case 'environment': {
        const room = this.#rooms.get(device.room)!;
        return { temperature: round(room.temperature - 1 + n('t', 0.3), 1), humidity: round(room.humidity + n('h', 1), 1) };
      }
      case 'leak': {
        const leak = this.faults.find('water_leak', device, now);
        return { leak_detected: leak ? 1 : 0, cable_broken: 0, leak_position: leak ? round(3 + (hash(device.id) % 200) / 10, 1) : 65535 * 0.1 };
      }
      default:
        return {};
    }
  }

  /** Whether the device answers, stays silent or answers garbage at `now`. */
  behaviour(device: Placement, now: number): 'normal' | 'silent' | 'garbage' {
    if (this.faults.find('silent', device, now)) return 'silent';
    if (this.faults.find('garbage', device, now)) return 'garbage';
    const flap = this.faults.find('flapping', device, now);
    if (flap && Math.floor((now - flap.since) / 20_000) % 2 === 0) return 'silent';
    return 'normal';
  }

  roomState(room: string): RoomState | undefined {
    return this.#rooms.get(room);
  }

  #mainsOn(where: Placement, now: number): boolean {
    return !this.faults.find('mains_failure', where, now);
  }

  #cooling(crac: SimDevice, now: number): boolean {
    return this.#mainsOn(crac, now) && !this.faults.find('compressor_failure', crac, now) && !this.faults.find('fan_failure', crac, now);
  }

  #upsLoad(device: SimDevice, now: number): number {
    const overload = this.faults.find('overload', device, now) ? 1.9 : 1;
    return Math.min(130, 100 * this.itLoad(now) * overload * (0.9 + (hash(device.id) % 20) / 100));
  }

  #advance(now: number): void {
    while (this.#time + STEP_MS <= now) {
      this.#time += STEP_MS;
      this.#step(this.#time);
    }
  }

  #step(t: number): void {
    const decay = (tau: number) => 1 - Math.exp(-STEP_MS / tau);
    for (const [roomId, room] of this.#rooms) {
      const cracs = this.devices.filter((d) => d.room === roomId && d.category === 'crac');
      const cooling = cracs.length ? cracs.filter((c) => this.#cooling(c, t)).length / cracs.length : 1;
      // With every unit cooling the room settles at 22 °C; each unit lost adds heat it cannot remove.
      const target = 22 + (1 - cooling) * 20 * this.itLoad(t);
      room.temperature += (target - room.temperature) * decay(ROOM_TAU_MS);
      const where = { id: '', room: roomId, site: this.devices.find((d) => d.room === roomId)!.site };
      const humidityTarget = this.faults.find('high_humidity', where, t) ? 82 : 45;
      room.humidity += (humidityTarget - room.humidity) * decay(ROOM_TAU_MS);
    }
    for (const device of this.devices) {
      if (device.category === 'crac') {
        const state = this.#crac.get(device.id)!;
        const room = this.#rooms.get(device.room)!;
        const target = this.#cooling(device, t) ? 18 : room.temperature + 2;
        state.supply += (target - state.supply) * decay(SUPPLY_TAU_MS);
        if (this.#cooling(device, t)) state.runHours += STEP_MS / HOUR;
      } else if (device.category === 'ups') {
        const state = this.#ups.get(device.id)!;
        const load = this.#upsLoad(device, t);
        if (this.#mainsOn(device, t)) {
          state.onBatterySince = undefined;
          state.charge = Math.min(100, state.charge + (STEP_MS / HOUR) * 40); // ~2.5 h to recharge fully
        } else {
          state.onBatterySince ??= t;
          const runtimeMin = FULL_RUNTIME_AT_HALF_LOAD_MIN * Math.pow(50 / Math.max(load, 5), 1.2);
          state.charge = Math.max(0, state.charge - (STEP_MS / 60_000 / runtimeMin) * 100);
        }
      } else if (device.category === 'power_meter') {
        const kw = this.#meterPower(device, t) / 1000;
        this.#energy.set(device.id, this.#energy.get(device.id)! + kw * (STEP_MS / HOUR));
      }
    }
  }

  #upsValues(device: SimDevice, now: number, n: (key: string, amplitude: number) => number): SimValues {
    const state = this.#ups.get(device.id)!;
    const mains = this.#mainsOn(device, now);
    const bypass = !!this.faults.find('bypass', device, now);
    const load = this.#upsLoad(device, now);
    const runtimeFull = FULL_RUNTIME_AT_HALF_LOAD_MIN * Math.pow(50 / Math.max(load, 5), 1.2);
    const charge = round(state.charge, 0);
    const outputOn = mains || state.charge > 0;
    const values: SimValues = {
      battery_status: charge <= 0 ? 4 : charge < 25 ? 3 : 2,
      seconds_on_battery: state.onBatterySince === undefined ? 0 : Math.round((now - state.onBatterySince) / 1000),
      battery_runtime_remaining: round((runtimeFull * state.charge) / 100, 0),
      battery_charge: charge,
      battery_voltage: round(480 * (0.88 + 0.12 * (state.charge / 100)) * (mains ? 1.02 : 1), 1),
      battery_current: round(mains ? (state.charge < 100 ? 4 : 0.2) : -(load / 100) * 45, 1),
      battery_temperature: round(24 + n('bt', 0.5), 1),
      input_line_bads: 0,
      output_source: !mains ? 5 : bypass ? 4 : 3,
      output_status: !mains ? 3 : bypass ? 9 : 2,
      output_frequency: round(50 + n('of', 0.02), 1),
      bypass_frequency: mains ? round(50 + n('bf', 0.05), 1) : 0,
      battery_replace_indicator: 1,
      alarms_present: 0,
    };
    const alarms: string[] = [];
    if (!mains) alarms.push('on_battery', 'input_bad');
    if (!mains && charge < 25) alarms.push('low_battery');
    if (bypass) alarms.push('on_bypass');
    if (load > 100) alarms.push('output_overload');
    values.alarms_present = alarms.length;
    alarms.forEach((alarm, i) => (values[valueKey('active_alarm', { alarm_id: String(i + 1) })] = alarm));
    for (let p = 1; p <= device.phases; p++) {
      const tags = { phase: String(p) };
      const vin = mains ? round(230 + n(`vin${p}`, 3), 1) : 0;
      const vout = outputOn ? round(230 + n(`vout${p}`, 0.8), 1) : 0;
      const amps = outputOn ? (load / 100) * 30 : 0;
      values[valueKey('input_voltage', tags)] = vin;
      values[valueKey('input_frequency', tags)] = mains ? round(50 + n(`fin${p}`, 0.05), 1) : 0;
      values[valueKey('input_current', tags)] = mains ? round(amps * 1.05 + (state.charge < 100 ? 2 : 0), 1) : 0;
      values[valueKey('input_power', tags)] = mains ? Math.round(vin * amps * 1.05) : 0;
      values[valueKey('output_voltage', tags)] = vout;
      values[valueKey('output_current', tags)] = round(amps, 1);
      values[valueKey('output_power', tags)] = Math.round(vout * amps * 0.9);
      values[valueKey('output_load', tags)] = outputOn ? round(load + n(`l${p}`, 1.5), 0) : 0;
      values[valueKey('bypass_voltage', tags)] = mains ? round(230 + n(`vb${p}`, 3), 1) : 0;
    }
    return values;
  }

  #cracValues(device: SimDevice, now: number, n: (key: string, amplitude: number) => number): SimValues {
    const state = this.#crac.get(device.id)!;
    const room = this.#rooms.get(device.room)!;
    const powered = this.#mainsOn(device, now);
    const compressorFault = !!this.faults.find('compressor_failure', device, now);
    const fanFault = !!this.faults.find('fan_failure', device, now);
    const cooling = powered && !compressorFault && !fanFault;
    const returnAir = room.temperature + 3;
    const humidity = round(room.humidity + n('h', 1), 1);
    const alarm = !powered || compressorFault || fanFault || room.humidity > 60;
    const sensor = (name: string) => ({ sensor: name });
    const leak = !!this.faults.find('water_leak', { id: '', room: device.room, site: device.site }, now);
    // Liebert's conditions table (active_condition): one row per condition in force, as a card lists them.
    const conditions: string[] = [];
    if (returnAir > 30) conditions.push('high_temperature');
    if (room.humidity > 60) conditions.push('high_humidity');
    if (compressorFault) conditions.push('compressor_high_head_pressure');
    if (fanFault) conditions.push('fan_failure');
    if (leak) conditions.push('water_under_floor');
    if (!powered) conditions.push('lost_power');
    const rows = Object.fromEntries(conditions.map((condition, i) => [valueKey('active_condition', { condition_id: String(i + 1) }), condition]));
    return {
      ...rows,
      [valueKey('temperature', sensor('supply_air'))]: round(state.supply + n('ts', 0.2), 1),
      [valueKey('temperature', sensor('return_air'))]: round(returnAir + n('tr', 0.2), 1),
      [valueKey('humidity', sensor('return_air'))]: humidity,
      [valueKey('humidity', sensor('supply_air'))]: round(humidity - 5, 1),
      [valueKey('temperature_setpoint', sensor('supply_air'))]: 18,
      [valueKey('temperature_setpoint', sensor('return_air'))]: 24,
      [valueKey('temperature_high_threshold', sensor('return_air'))]: 30,
      [valueKey('temperature_low_threshold', sensor('return_air'))]: 15,
      [valueKey('temperature_high_threshold', sensor('supply_air'))]: 24,
      [valueKey('temperature_low_threshold', sensor('supply_air'))]: 12,
      [valueKey('humidity_high_threshold', sensor('return_air'))]: 80,
      [valueKey('humidity_low_threshold', sensor('return_air'))]: 20,
      temperature_setpoint: 24,
      humidity_setpoint: 50,
      system_state: powered ? 1 : 2,
      cooling_state: cooling ? 1 : 2,
      general_alarm: alarm ? 1 : 2,
      cooling_capacity: cooling ? round(100 * this.itLoad(now) + n('cc', 3), 0) : 0,
      fan_capacity: powered && !fanFault ? round(60 + n('fc', 5), 0) : 0,
      operating_state: powered ? 1 : 0,
      fan_running: powered && !fanFault ? 1 : 0,
      [valueKey('compressor_running', { compressor: '1' })]: cooling ? 1 : 0,
      [valueKey('compressor_running', { compressor: '2' })]: cooling && this.itLoad(now) > 0.5 ? 1 : 0,
      heater_running: 0,
      humidifier_running: 0,
      dehumidifying: powered && room.humidity > 55 ? 1 : 0,
      alarm_high_temperature: returnAir > 30 ? 1 : 0,
      alarm_low_temperature: 0,
      alarm_high_humidity: room.humidity > 60 ? 1 : 0,
      alarm_low_humidity: 0,
      alarm_compressor_high_pressure: compressorFault ? 1 : 0,
      alarm_compressor_low_pressure: 0,
      alarm_fan_failure: fanFault ? 1 : 0,
      alarm_filter_clogged: 0,
      alarm_water_under_floor: leak ? 1 : 0,
      alarm_power_loss: powered ? 0 : 1,
      alarm_sensor_fault: 0,
      [valueKey('compressor_run_hours', { compressor: '1' })]: Math.floor(state.runHours),
    };
  }

  /** Whether a meter has voltage: mains, or for one behind the UPSs, a UPS of its room still delivering. */
  #meterSupplied(device: SimDevice, now: number): boolean {
    if (this.#mainsOn(device, now)) return true;
    return !!device.behindUps && this.devices.some((d) => d.category === 'ups' && d.room === device.room && (this.#ups.get(d.id)?.charge ?? 0) > 0);
  }

  #meterPower(device: SimDevice, now: number): number {
    if (!this.#meterSupplied(device, now) || this.faults.find('breaker_trip', device, now)) return 0;
    const overload = this.faults.find('overload', device, now) ? 1.6 : 1;
    return 3 * 230 * 40 * (device.powerShare ?? 1) * this.itLoad(now) * overload * 0.95;
  }

  #meterValues(device: SimDevice, now: number, n: (key: string, amplitude: number) => number): SimValues {
    const mains = this.#meterSupplied(device, now);
    const tripped = !!this.faults.find('breaker_trip', device, now);
    const overload = this.faults.find('overload', device, now) ? 1.6 : 1;
    const values: SimValues = {};
    let totalCurrent = 0;
    let totalPower = 0;
    let totalApparent = 0;
    let sumVoltage = 0;
    for (let p = 1; p <= 3; p++) {
      const tags = { phase: String(p) };
      const voltage = mains ? round(230 + n(`v${p}`, 2.5), 2) : 0;
      const current = mains && !tripped ? round(40 * (device.powerShare ?? 1) * this.itLoad(now) * overload * (1 + (p - 2) * 0.08) + n(`i${p}`, 0.5), 2) : 0;
      const pf = 0.95;
      const apparent = round(voltage * current, 1);
      const active = round(apparent * pf, 1);
      values[valueKey('voltage', tags)] = voltage;
      values[valueKey('current', tags)] = current;
      values[valueKey('power_active', tags)] = active;
      values[valueKey('power_apparent', tags)] = apparent;
      values[valueKey('power_reactive', tags)] = round(apparent * Math.sqrt(1 - pf * pf), 1);
      values[valueKey('power_factor', tags)] = current ? pf : 1;
      totalCurrent += current;
      totalPower += active;
      totalApparent += apparent;
      sumVoltage += voltage;
    }
    for (const [pair, a, b] of [['1-2', 1, 2], ['2-3', 2, 3], ['3-1', 3, 1]] as const) {
      const va = values[valueKey('voltage', { phase: String(a) })] as number;
      const vb = values[valueKey('voltage', { phase: String(b) })] as number;
      values[valueKey('voltage_line', { phase: pair })] = round(((va + vb) / 2) * Math.sqrt(3), 2);
    }
    return {
      ...values,
      voltage_ln_average: round(sumVoltage / 3, 2),
      current_sum: round(totalCurrent, 2),
      power_active_total: round(totalPower, 1),
      power_apparent_total: round(totalApparent, 1),
      power_reactive_total: round(totalApparent * 0.312, 1),
      power_factor_total: totalCurrent ? 0.95 : 1,
      frequency: mains ? round(50 + n('f', 0.03), 2) : 0,
      energy_import_active: round(this.#energy.get(device.id)!, 1),
      energy_export_active: 0,
      energy_total_active: round(this.#energy.get(device.id)!, 1),
      current_neutral: round(totalCurrent * 0.05, 2),
    };
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
