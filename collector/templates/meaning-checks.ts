import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';
import type { MeaningInput } from './schema.js';

/**
 * Checks of a point's meaning keys, whatever its driver; each driver checks its own address keys
 * (collector/drivers/<id>/).
 */

/** The multiplier a point's scaling keys describe: `scale`, or 2^-binary_point. */
export function compileScale(input: MeaningInput, source: YamlSource, path: PathSegment[]): number | ConfigIssue {
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
