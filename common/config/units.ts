/** Durations and sizes as technicians write them in YAML: "10s", "500ms", "5m", "256MiB". */

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, KB: 1000, MB: 1000 ** 2, GB: 1000 ** 3 };

export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$';
export const SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?(B|KiB|MiB|GiB|KB|MB|GB)$';

/** Parses a duration already checked against DURATION_PATTERN; returns milliseconds. */
export function parseDuration(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`invalid duration "${text}": expected a number and a unit (ms, s, m, h, d), e.g. "10s"`);
  return Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2]!]!);
}

/** Parses a size already checked against SIZE_PATTERN; returns bytes. */
export function parseSize(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(B|KiB|MiB|GiB|KB|MB|GB)$/.exec(text);
  if (!match) throw new Error(`invalid size "${text}": expected a number and a unit (B, KiB, MiB, GiB), e.g. "256MiB"`);
  return Math.round(Number(match[1]) * SIZE_UNITS[match[2]!]!);
}

/** InfluxQL duration literal for a number of milliseconds (whole hours or more are expected). */
export function influxDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}
