import type { PointMeaning, TemplatePoint } from '../../common/contracts/device.js';
import type { ModbusFunction, ModbusPoint, WordOrder } from '../drivers/modbus/types.js';
import { registersOf } from '../drivers/modbus/decode.js';
import { compileScale, modbusPointWarnings, overlapWarnings, sentinelNumbers, sentinelsForType, snmpPointWarnings, type LocatedModbusPoint } from './point-checks.js';
import { ModbusPoint as ModbusPointSchema, SnmpPoint as SnmpPointSchema, type ModbusPointInput, type SnmpPointInput, type TemplateInput } from './schema.js';
import { validateAgainst } from '../../common/config/validate.js';
import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';

/** A template's points compiled, with the problems found in them. */
export interface CompiledPoints {
  points: TemplatePoint[];
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** Checks and compiles every point of a template whose top level already passed its schema. */
export function compilePoints(raw: TemplateInput, source: YamlSource): CompiledPoints {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const pointSchema = raw.driver === 'snmp' ? SnmpPointSchema : ModbusPointSchema;
  const points: TemplatePoint[] = [];
  const modbusPoints: LocatedModbusPoint[] = [];
  // Where each compiled point stands in the file: an invalid point is skipped, so positions in
  // `points` and in `raw.points` differ after it.
  const pointIndexes: number[] = [];
  raw.points.forEach((input, index) => {
    const path: PathSegment[] = ['points', index];
    const pointIssues = validateAgainst(pointSchema, input, source, path);
    if (pointIssues.length) {
      issues.push(...pointIssues);
      return;
    }
    const compiled =
      raw.driver === 'snmp'
        ? compileSnmpPoint(input as SnmpPointInput, raw.measurement, source, path)
        : compileModbusPoint(input as ModbusPointInput, raw.measurement, source, path);
    if ('issue' in compiled) {
      issues.push(compiled.issue);
      return;
    }
    points.push(compiled.point);
    pointIndexes.push(index);
    warnings.push(...compiled.warnings);
    if (compiled.point.kind === 'modbus') modbusPoints.push({ point: compiled.point, path });
  });
  warnings.push(...overlapWarnings(modbusPoints, source));
  issues.push(...duplicateSeries(points, pointIndexes, raw, source));
  return { points, issues, warnings };
}

function meaning(input: SnmpPointInput | ModbusPointInput, defaultMeasurement: string, scale: number): PointMeaning {
  return {
    field: input.field,
    measurement: input.measurement ?? defaultMeasurement,
    unit: input.unit,
    description: input.description,
    scale,
    offset: input.offset ?? 0,
    unavailable: sentinelNumbers(input.unavailable),
    states: input.states,
    tags: input.tags ?? {},
    valueNames: input.value_names,
  };
}

type Compiled = { point: TemplatePoint; warnings: ConfigIssue[] } | { issue: ConfigIssue };

function compileSnmpPoint(input: SnmpPointInput, measurement: string, source: YamlSource, path: PathSegment[]): Compiled {
  const scale = compileScale(input, source, path);
  if (typeof scale !== 'number') return { issue: scale };
  const base = meaning(input, measurement, scale);
  const warnings = snmpPointWarnings(input, source, path);
  const valueType = input.value_type ?? 'number';
  const strip = (oid: string) => oid.replace(/^\./, '');
  if (input.oid && input.column) return { issue: source.issueAt(path, 'give either "oid" (a scalar) or "column" (a table column), not both') };
  if (input.oid) {
    if (input.index_tag || input.index_names) return { issue: source.issueAt(path, '"index_tag" and "index_names" only apply to a "column" point') };
    return { point: { ...base, kind: 'snmp-scalar', oid: strip(input.oid), valueType }, warnings };
  }
  if (input.column) {
    return {
      point: {
        ...base,
        kind: 'snmp-column',
        column: strip(input.column),
        indexTag: input.index_tag ?? 'index',
        indexNames: input.index_names ? { column: strip(input.index_names.column), map: input.index_names.map } : undefined,
        valueType,
      },
      warnings,
    };
  }
  return { issue: source.issueAt(path, 'an SNMP point needs "oid" (a scalar such as ...1.2.4.0) or "column" (a table column)') };
}

const FUNCTION_CODES: Record<string, ModbusFunction> = { coil: 1, discrete_input: 2, holding: 3, input: 4 };
const REFERENCE_CLASSES: Record<string, ModbusFunction> = { '0': 1, '1': 2, '3': 4, '4': 3 };

/** Converts the 1-based reference form (30001, 400001) to function code and 0-based address. */
export function parseModbusReference(reference: number | string): { fc: ModbusFunction; address: number } | string {
  const text = typeof reference === 'number' ? String(reference).padStart(5, '0') : reference;
  if (!/^[0-4][0-9]{4,5}$/.test(text)) return `"${text}" is not a Modbus reference such as 30001 or 400001`;
  const fc = REFERENCE_CLASSES[text[0]!];
  if (!fc) return `reference "${text}" starts with ${text[0]}; expected 0 (coil), 1 (discrete input), 3 (input register) or 4 (holding register)`;
  const offset = Number(text.slice(1));
  if (offset < 1) return `reference "${text}" has register number 0; references count from 1`;
  return { fc, address: offset - 1 };
}

function compileModbusPoint(input: ModbusPointInput, measurement: string, source: YamlSource, path: PathSegment[]): Compiled {
  const scale = compileScale(input, source, path);
  if (typeof scale !== 'number') return { issue: scale };
  const base = meaning(input, measurement, scale);
  let fc: ModbusFunction;
  let address: number;
  if (input.register !== undefined) {
    if (input.function !== undefined || input.address !== undefined) {
      return { issue: source.issueAt(path, 'give either "register" (1-based reference) or "function" + "address" (0-based), not both') };
    }
    const parsed = parseModbusReference(input.register);
    if (typeof parsed === 'string') return { issue: source.issueAt([...path, 'register'], parsed) };
    ({ fc, address } = parsed);
  } else if (input.function !== undefined && input.address !== undefined) {
    fc = FUNCTION_CODES[input.function]!;
    address = input.address;
  } else {
    return { issue: source.issueAt(path, 'a Modbus point needs "register" (e.g. 30001) or both "function" and "address"') };
  }
  const type = input.type;
  const bitTable = fc === 1 || fc === 2;
  if (bitTable !== (type === 'bool')) {
    return {
      issue: source.issueAt([...path, 'type'], bitTable ? 'coils and discrete inputs hold single bits: use type "bool"' : 'type "bool" is for coils and discrete inputs; use "bit" with "bit: N" for a bit of a register'),
    };
  }
  if ((type === 'bit') !== (input.bit !== undefined)) {
    return { issue: source.issueAt(path, type === 'bit' ? 'type "bit" needs "bit: 0..15" (0..31 with "bit_of: uint32")' : '"bit" only applies to type "bit"') };
  }
  if (input.bit_of !== undefined && type !== 'bit') return { issue: source.issueAt([...path, 'bit_of'], '"bit_of" only applies to type "bit"', true) };
  const bitWidth = type === 'bit' ? (input.bit_of === 'uint32' || input.bit_of === 'int32' ? 32 : 16) : undefined;
  if (bitWidth === 16 && input.bit! > 15) {
    return { issue: source.issueAt([...path, 'bit'], `bit ${input.bit} is past a 16-bit register (bits 0..15); for bits of a 32-bit value add "bit_of: uint32"`) };
  }
  if ((type === 'string') !== (input.length !== undefined)) {
    return { issue: source.issueAt(path, type === 'string' ? 'type "string" needs "length" (registers)' : '"length" only applies to type "string"') };
  }
  const count = type === 'string' ? input.length! : registersOf({ type, bitWidth });
  const last = address + count - 1;
  if (last > 65535) {
    return { issue: source.issueAt(path, `the point runs past address 65535: ${count} register${count === 1 ? '' : 's'} from ${address} end at ${last}`) };
  }
  const sentinels = sentinelsForType(base.unavailable, type, source, path);
  const order = (input.order ?? 'ABCD') as WordOrder;
  const point: ModbusPoint = { ...base, unavailable: sentinels.values, kind: 'modbus', fc, address, type, order, bit: input.bit, bitWidth, count };
  return { point, warnings: [...sentinels.warnings, ...modbusPointWarnings(input, point, source, path)] };
}

function duplicateSeries(points: TemplatePoint[], pointIndexes: readonly number[], raw: TemplateInput, source: YamlSource): ConfigIssue[] {
  const seen = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  points.forEach((point, i) => {
    const index = pointIndexes[i]!;
    const key = `${point.measurement}.${point.field}|${JSON.stringify(Object.entries(point.tags).sort())}|${point.kind === 'snmp-column' ? point.indexTag : ''}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push(source.issueAt(['points', index, 'field'], `field "${point.field}" with the same tags is already produced by points[${first}] of template "${raw.name}"`));
    } else {
      seen.set(key, index);
    }
  });
  return issues;
}
