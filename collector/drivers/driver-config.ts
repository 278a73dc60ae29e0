import type { TArray, TObject, TProperties } from '@sinclair/typebox';
import type { Located } from '../../common/config/duplicates.js';
import type { Env } from '../../common/config/secret.js';
import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';
import type { DriverTargets, PointMeaning, TemplatePoint } from '../../common/contracts/device.js';

/**
 * The configuration half of a protocol driver: what a device section, a template point and any
 * top-level list of the driver look like, and how they compile. The generic template and device
 * code asks this instead of branching on protocol; registry.ts lists one per driver, in message
 * order. The runtime half (sessions, readers, probe) is DriverRuntime; neither imports the other,
 * and one driver object carries both, so the halves share no member name but `id`.
 */
export interface DriverConfig<Target = unknown, Point extends TemplatePoint = TemplatePoint, Shared = unknown> {
  /** `driver:` in templates and the device section's key, e.g. "snmp". */
  readonly id: keyof DriverTargets;
  /** The protocol's name in messages: 'template "x" uses SNMP: …'. */
  readonly title: string;
  /** The article before the quoted id in messages: 'needs an "snmp" section', 'a "modbus" section'. */
  readonly article: 'a' | 'an';
  /** Schema of the device section (`snmp:`, `modbus:`); unconditional defaults live inside. */
  readonly connection: TObject;
  /** Top-level lists the driver owns (Modbus `buses`), placed before `devices` in config files. */
  readonly collections?: Readonly<Record<string, TArray>>;
  /** Address keys of a template point; templates put the meaning keys (field, scale, …) first. */
  readonly point: TProperties;
  /** Whether templates of this driver may list `traps:`. */
  readonly supportsTraps: boolean;
  /**
   * Compiles a point that passed the point schema. `meaning` holds the driver-independent part
   * (scale already resolved); `input` is the whole point, meaning keys included, for warnings.
   */
  compilePoint(input: PointInput, meaning: PointMeaning, at: PointAt): CompiledPoint<Point>;
  /** Warnings about the template's points taken together (Modbus: overlapping registers). */
  templateWarnings?(points: readonly LocatedPoint<Point>[], source: YamlSource): ConfigIssue[];
  /** A text point: rules comparing numbers never fire on it. */
  isText(point: Point): boolean;
  /** What besides measurement, field and tags tells two points' series apart (an SNMP column's index tag). */
  seriesKey?(point: Point): string;
  /** Compiles the driver's collections once per config (Modbus: buses to lines); the result reaches compileTarget. */
  compileShared?(collections: Readonly<Record<string, readonly Located<unknown>[]>>, issues: ConfigIssue[]): Shared;
  /** Compiles a device section that passed its schema; problems go to `ctx.issues`. */
  compileTarget(input: unknown, ctx: TargetContext<Shared>): Target | undefined;
}

/** Where a value sits in a config file, for messages about it. */
export interface At {
  source: YamlSource;
  path: PathSegment[];
}

/**
 * Where a point sits, and which keys the template wrote: the schema fills defaults in before the
 * driver sees the point, so "has no effect" checks ask `written`, not whether a key is set.
 */
export interface PointAt extends At {
  written: ReadonlySet<string>;
}

/** The point as written: the driver's own keys plus the template's meaning keys. */
export type PointInput = Readonly<Record<string, unknown>> & MeaningKeys;

/** The meaning keys a driver may look at to warn that they have no effect on some points. */
export interface MeaningKeys {
  scale?: number;
  offset?: number;
  binary_point?: number;
  unavailable?: readonly (number | string)[];
}

export type CompiledPoint<Point> = { point: Point; warnings: ConfigIssue[] } | { issue: ConfigIssue };

/** A compiled point and where the template wrote it, so a warning can name both lines. */
export interface LocatedPoint<Point> {
  point: Point;
  path: PathSegment[];
}

export interface TargetContext<Shared> extends At {
  issues: ConfigIssue[];
  env: Env;
  /** What compileShared returned (undefined for a driver without collections). */
  shared: Shared;
}

/** Shorter than a loopback round trip under load: every request would time out. */
export const MIN_DEVICE_TIMEOUT = '10ms';
