import type { ModbusPoint, ModbusType } from '../drivers/modbus/types.js';
import type { TemplatePoint } from '../../common/contracts/device.js';
import type { ModbusPointInput, SnmpPointInput } from './template-schema.js';
import { pathToString, type ConfigIssue, type PathSegment, type YamlSource } from '../../common/config/yaml-source.js';

/**
 * Checks of template points that need more than the schema: key combinations that contradict
 * each other (errors) and combinations that are accepted but mean nothing or almost certainly
 * not what the technician meant (warnings). Kept apart from compiling so each rule reads alone.
 */

/** The multiplier a point's scaling keys describe: `scale`, or 2^-binary_point. */
export function compileScale(input: SnmpPointInput | ModbusPointInput, source: YamlSource, path: PathSegment[]): number | ConfigIssue {
  if (input.binary_point === undefined) return input.scale ?? 1;
  if (input.scale !== undefined) {
    return source.issueAt([...path, 'binary_point'], 'give either "scale" or "binary_point" (raw / 2^n), not both', true);
  }
  return 2 ** -input.binary_point;
}

/** Sentinels as numbers: YAML already reads 0xFFFF as 65535; the text form "0xFFFF" is hexadecimal. */
export function sentinelNumbers(values: readonly (number | string)[] | undefined): number[] {
  return (values ?? []).map((value) => (typeof value === 'number' ? value : Number.parseInt(value.slice(2), 16)));
}

const INTEGER_RANGES: Partial<Record<ModbusType, { bits: number; signed: boolean }>> = {
  int16: { bits: 16, signed: true },
  uint16: { bits: 16, signed: false },
  int32: { bits: 32, signed: true },
  uint32: { bits: 32, signed: false },
};

/**
 * A sentinel names a register content, so on a signed type 0xFFFF means -1 and on an unsigned
 * type -1 means 0xFFFF: vendor maps write sentinels as bit patterns ("0x8000 = not available" on
 * an INT16), and the decoded value is what gets compared. A sentinel the type can never hold is
 * a warning, since it silently never matches.
 */
export function sentinelsForType(values: readonly number[], type: ModbusType, source: YamlSource, path: PathSegment[]): { values: number[]; warnings: ConfigIssue[] } {
  const range = INTEGER_RANGES[type];
  if (!range) return { values: [...values], warnings: [] };
  const span = 2 ** range.bits;
  const [min, max] = range.signed ? [-span / 2, span / 2 - 1] : [0, span - 1];
  const warnings: ConfigIssue[] = [];
  const normalised = values.map((value, i) => {
    let inType = value;
    if (range.signed && value > max && value < span) inType = value - span;
    if (!range.signed && value < 0 && value >= -span / 2) inType = value + span;
    if (!Number.isInteger(inType) || inType < min || inType > max) {
      warnings.push(source.warningAt([...path, 'unavailable', i], `${value} can never be read from a ${type} (${min}..${max}), so it never matches`));
    }
    return inType;
  });
  return { values: normalised, warnings };
}

const ONE_REGISTER: readonly ModbusType[] = ['int16', 'uint16', 'bit'];

/** Keys a Modbus point accepts but that have no effect for its type. */
export function modbusPointWarnings(input: ModbusPointInput, point: ModbusPoint, source: YamlSource, path: PathSegment[]): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  const warn = (key: string, message: string) => warnings.push(source.warningAt([...path, key], message, true));
  if (point.type === 'string') {
    for (const key of ['scale', 'offset', 'binary_point', 'unavailable'] as const) {
      if (input[key] !== undefined) warn(key, `"${key}" has no effect on a string point (text is stored as read)`);
    }
  }
  if (input.order !== undefined) {
    const oneRegister = ONE_REGISTER.includes(point.type) && point.count === 1;
    const what = point.type === 'bit' ? 'a bit point without bit_of: uint32 reads one register' : `type ${point.type} is one register`;
    if (point.type === 'bool') warn('order', 'coils and discrete inputs are single bits; "order" has no effect');
    else if (oneRegister && input.order === 'CDAB') warn('order', `${what}: word order CDAB has no effect`);
    else if (oneRegister && input.order === 'DCBA') warn('order', `${what}: DCBA only swaps its bytes; write BADC`);
    else if (point.type === 'string' && (input.order === 'CDAB' || input.order === 'DCBA')) {
      warn('order', `text is never word-swapped: ${input.order} reads as ${input.order === 'CDAB' ? 'ABCD' : 'BADC'}`);
    }
  }
  return warnings;
}

/** Scaling keys on an SNMP text point have no effect. */
export function snmpPointWarnings(input: SnmpPointInput, source: YamlSource, path: PathSegment[]): ConfigIssue[] {
  if (input.value_type !== 'string') return [];
  return (['scale', 'offset', 'binary_point'] as const)
    .filter((key) => input[key] !== undefined)
    .map((key) => source.warningAt([...path, key], `"${key}" has no effect on a point with value_type string`, true));
}

/** A compiled point and where the template wrote it, so a warning can name both lines. */
export interface LocatedModbusPoint {
  point: ModbusPoint;
  path: PathSegment[];
}

const INTEGER_TYPES: readonly ModbusType[] = ['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];

/**
 * Two points reading the same registers as different types cannot both be right (a float32 and a
 * uint16 on one register is a copy-paste slip). Bit points are the exception: several bits of
 * one register, or bits of a register that is also read as an integer, are how status words work.
 */
export function overlapWarnings(points: readonly LocatedModbusPoint[], source: YamlSource): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  points.forEach((later, j) => {
    const earlier = points.slice(0, j).find((candidate) => overlaps(candidate.point, later.point) && !compatible(candidate.point, later.point));
    if (!earlier) return;
    const first = source.issueAt(earlier.path, '');
    warnings.push(
      source.warningAt(
        later.path,
        `${describe(later.point)} overlaps ${describe(earlier.point)} of ${pathToString(earlier.path)} at ${first.file}:${first.line}; the same registers cannot hold both`,
      ),
    );
  });
  return warnings;
}

function overlaps(a: ModbusPoint, b: ModbusPoint): boolean {
  return a.fc === b.fc && a.address < b.address + b.count && b.address < a.address + a.count;
}

function compatible(a: ModbusPoint, b: ModbusPoint): boolean {
  if (a.type === 'bit' || b.type === 'bit') {
    const other = a.type === 'bit' ? b : a;
    return other.type === 'bit' || INTEGER_TYPES.includes(other.type);
  }
  return a.type === b.type && a.address === b.address && a.count === b.count && a.order === b.order;
}

function describe(point: ModbusPoint): string {
  const registers = point.count === 1 ? `${point.fc}:${point.address}` : `${point.fc}:${point.address}..${point.address + point.count - 1}`;
  const order = point.count > 1 && point.type !== 'string' ? ` ${point.order}` : '';
  return `${point.type}${order} at ${registers}`;
}

/**
 * Threshold and state rules compare numbers; on a text point (a Modbus string, an SNMP string)
 * they hold forever, so such a rule is accepted but said to be inert.
 */
export function textRuleWarnings(rules: ReadonlyArray<{ field: string; measurement?: string }>, points: readonly TemplatePoint[], measurement: string, source: YamlSource): ConfigIssue[] {
  const isText = (p: TemplatePoint) => (p.kind === 'modbus' ? p.type === 'string' : p.valueType === 'string');
  return rules.flatMap((rule, index) => {
    const producers = points.filter((p) => p.field === rule.field && p.measurement === (rule.measurement ?? measurement));
    if (!producers.length || !producers.every(isText)) return [];
    return [source.warningAt(['rules', index, 'field'], `field "${rule.field}" is text; rules compare numbers, so this rule never fires`)];
  });
}
