import { readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceTemplate, PointMeaning, TemplatePoint } from '../../common/contracts/device.js';
import type { ModbusFunction, ModbusPoint, WordOrder } from '../drivers/modbus/types.js';
import type { TemplateRuleSpec } from '../../common/contracts/template-rule.js';
import { registersOf } from '../drivers/modbus/decode.js';
import { compileScale, modbusPointWarnings, overlapWarnings, sentinelNumbers, sentinelsForType, snmpPointWarnings, textRuleWarnings, type LocatedModbusPoint } from './point-checks.js';
import { ModbusPoint as ModbusPointSchema, SnmpPoint as SnmpPointSchema, Template, type ModbusPointInput, type SnmpPointInput, type TemplateInput } from './template-schema.js';
import { parseDuration } from '../../common/config/units.js';
import { projectRoot } from '../../common/config/project-root.js';
import { validateAgainst } from '../../common/config/validate.js';
import { YamlSource, type ConfigIssue, type PathSegment } from '../../common/config/yaml-source.js';

/** The templates shipped with roomwatch (config/templates at the project root). */
export const BUILTIN_TEMPLATE_DIR = join(projectRoot(), 'config', 'templates');

export interface TemplateSet {
  templates: Map<string, DeviceTemplate>;
  issues: ConfigIssue[];
  /** Accepted, but probably not what was meant (severity "warning"). */
  warnings: ConfigIssue[];
}

/** Loads every *.yaml in the directories; a later directory may not redefine a name silently. */
export function loadTemplates(dirs: readonly string[]): TemplateSet {
  const templates = new Map<string, DeviceTemplate>();
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      issues.push({ file: dir, line: 1, column: 1, path: '', message: existsSync(dir) ? 'not a directory: "templates" lists directories of template files' : 'template directory does not exist' });
      continue;
    }
    for (const entry of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const source = YamlSource.read(join(dir, entry));
      const result = compileTemplate(source);
      issues.push(...result.issues);
      warnings.push(...result.warnings);
      if (!result.template) continue;
      const existing = templates.get(result.template.name);
      if (existing) {
        issues.push(source.issueAt(['name'], `template "${result.template.name}" is already defined in ${existing.file}`));
        continue;
      }
      templates.set(result.template.name, result.template);
    }
  }
  return { templates, issues, warnings };
}

export function compileTemplate(source: YamlSource): { template?: DeviceTemplate; issues: ConfigIssue[]; warnings: ConfigIssue[] } {
  const warnings: ConfigIssue[] = [];
  if (source.syntaxIssues.length) return { issues: source.syntaxIssues, warnings };
  const raw = source.value as TemplateInput;
  const issues = validateAgainst(Template, raw, source);
  if (issues.length) return { issues, warnings };
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
  const rules: TemplateRuleSpec[] = raw.rules.map((rule) => ({
    name: rule.name,
    field: rule.field,
    measurement: rule.measurement ?? raw.measurement,
    severity: rule.severity as TemplateRuleSpec['severity'],
    above: rule.above,
    below: rule.below,
    clearAbove: rule.clear_above,
    clearBelow: rule.clear_below,
    equals: rule.equals,
    tags: rule.tags,
    minus: rule.minus && { ...rule.minus, measurement: rule.minus.measurement ?? raw.measurement },
    when: rule.when && { ...rule.when, measurement: rule.when.measurement ?? raw.measurement },
    forMs: rule.for ? parseDuration(rule.for) : 0,
    summary: rule.summary,
    source: rule.source,
    incident: rule.incident,
    explainedBy: rule.explained_by,
  }));
  raw.rules.forEach((rule, index) => {
    if (!points.some((p) => p.field === rule.field && p.measurement === (rule.measurement ?? raw.measurement))) {
      issues.push(source.issueAt(['rules', index, 'field'], `rule refers to field "${rule.field}", which no point of this template produces`));
    }
    if (rule.above === undefined && rule.below === undefined && rule.equals === undefined) {
      issues.push(source.issueAt(['rules', index], 'a rule needs "above", "below" or "equals"'));
    }
    if (rule.minus) {
      const minus = rule.minus;
      if (!points.some((p) => p.field === minus.field && p.measurement === (minus.measurement ?? raw.measurement))) {
        issues.push(source.issueAt(['rules', index, 'minus', 'field'], `rule subtracts field "${minus.field}", which no point of this template produces`));
      }
      if (rule.equals !== undefined) issues.push(source.issueAt(['rules', index, 'equals'], 'a difference rule (minus) takes "above" or "below", not "equals"'));
    }
    if (rule.when) {
      const when = rule.when;
      if (!rule.minus) issues.push(source.issueAt(['rules', index, 'when'], '"when" only applies to a difference rule (one with "minus")'));
      if (!points.some((p) => p.field === when.field && p.measurement === (when.measurement ?? raw.measurement))) {
        issues.push(source.issueAt(['rules', index, 'when', 'field'], `rule applies "when" field "${when.field}", which no point of this template produces`));
      }
    }
  });
  warnings.push(...textRuleWarnings(raw.rules, points, raw.measurement, source));
  if (raw.driver !== 'snmp' && raw.traps.length) issues.push(source.issueAt(['traps'], 'traps only apply to SNMP templates', true));
  raw.traps.forEach((trap, index) => {
    const rule = trap.raises ?? trap.clears;
    if ((trap.raises === undefined) === (trap.clears === undefined)) issues.push(source.issueAt(['traps', index], 'a trap needs exactly one of "raises" or "clears"'));
    else if (!raw.rules.some((r) => r.name === rule)) issues.push(source.issueAt(['traps', index], `trap refers to rule "${rule}", which this template does not define`));
  });
  if (issues.length) return { issues, warnings };
  const template: DeviceTemplate = {
    name: raw.name,
    description: raw.description,
    driver: raw.driver,
    category: raw.category,
    measurement: raw.measurement,
    file: source.file,
    points,
    rules,
    traps: raw.traps,
  };
  return { template, issues, warnings };
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
