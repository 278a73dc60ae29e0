import type { PointMeaning, TemplatePoint } from '../../common/contracts/device.js';
import type { LocatedPoint } from '../drivers/driver-config.js';
import type { Driver } from '../drivers/registry.js';
import { compileScale, sentinelNumbers } from './meaning-checks.js';
import { templatePointSchema, type MeaningInput, type TemplateInput } from './schema.js';
import { validateAgainst } from '../../common/config/validate.js';
import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';

/** A template's points compiled, with the problems found in them. */
export interface CompiledPoints {
  points: TemplatePoint[];
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

/**
 * Checks and compiles every point of a template whose top level already passed its schema: the
 * meaning keys here, the address keys by the template's driver.
 */
export function compilePoints(raw: TemplateInput, driver: Driver, source: YamlSource): CompiledPoints {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const pointSchema = templatePointSchema(driver);
  const points: TemplatePoint[] = [];
  const located: LocatedPoint<TemplatePoint>[] = [];
  // Where each compiled point stands in the file: an invalid point is skipped, so positions in
  // `points` and in `raw.points` differ after it.
  const pointIndexes: number[] = [];
  raw.points.forEach((input, index) => {
    const path: PathSegment[] = ['points', index];
    // Before validation fills in the schema defaults: drivers warn about keys written to no effect.
    const writtenKeys = new Set<string>(input !== null && typeof input === 'object' ? Object.keys(input) : []);
    const pointIssues = validateAgainst(pointSchema, input, source, path);
    if (pointIssues.length) {
      issues.push(...pointIssues);
      return;
    }
    const point = input as MeaningInput;
    const scale = compileScale(point, source, path);
    if (typeof scale !== 'number') {
      issues.push(scale);
      return;
    }
    const compiled = driver.compilePoint(point, meaning(point, raw.measurement, scale), { source, path, written: writtenKeys });
    if ('issue' in compiled) {
      issues.push(compiled.issue);
      return;
    }
    points.push(compiled.point);
    pointIndexes.push(index);
    warnings.push(...compiled.warnings);
    located.push({ point: compiled.point, path });
  });
  warnings.push(...(driver.templateWarnings?.(located, source) ?? []));
  issues.push(...duplicateSeries(points, pointIndexes, driver, raw, source));
  return { points, issues, warnings };
}

function meaning(input: MeaningInput, defaultMeasurement: string, scale: number): PointMeaning {
  return {
    field: input.field,
    measurement: input.measurement ?? defaultMeasurement,
    unit: input.unit,
    description: input.description,
    scale,
    offset: input.offset ?? 0,
    unavailable: sentinelNumbers(input.unavailable),
    states: stateNames(input.states),
    tags: input.tags ?? {},
    valueNames: input.value_names,
  };
}

/** A plain-string state name (templates written before names had languages) names the state in both. */
function stateNames(states: MeaningInput['states']): PointMeaning['states'] {
  if (!states) return undefined;
  return Object.fromEntries(Object.entries(states).map(([value, name]) => [value, typeof name === 'string' ? { en: name, 'zh-CN': name } : name]));
}

function duplicateSeries(points: TemplatePoint[], pointIndexes: readonly number[], driver: Driver, raw: TemplateInput, source: YamlSource): ConfigIssue[] {
  const seen = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  points.forEach((point, i) => {
    const index = pointIndexes[i]!;
    const key = `${point.measurement}.${point.field}|${JSON.stringify(Object.entries(point.tags).sort())}|${driver.seriesKey?.(point) ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push(source.issueAt(['points', index, 'field'], `field "${point.field}" with the same tags is already produced by points[${first}] of template "${raw.name}"`));
    } else {
      seen.set(key, index);
    }
  });
  return issues;
}
