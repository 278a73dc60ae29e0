import type { TemplateRuleSpec } from './template-rule.js';

/** A state's name in each message language; a template's plain-string name stands for both. */
export interface StateName {
  en: string;
  'zh-CN': string;
}

/** What every template point shares, whatever the driver. */
export interface PointMeaning {
  field: string;
  measurement: string;
  unit?: string;
  description?: string;
  scale: number;
  offset: number;
  /** Raw values meaning "not available"; compared before scaling. */
  unavailable: readonly number[];
  /** Names of enumerated raw values ("5" → on battery / 电池供电), in both message languages. */
  states?: Readonly<Record<string, StateName>>;
  tags: Readonly<Record<string, string>>;
  /** Text values renamed before storing (exact match). */
  valueNames?: Readonly<Record<string, string>>;
}

/**
 * Each driver's connection settings, keyed by driver id. Empty here on purpose: the driver code
 * adds its entry by module augmentation, so this folder names no driver and imports none.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by augmentation
export interface DriverTargets {}

/** Each driver's template point types, keyed by driver id; filled by augmentation like DriverTargets. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by augmentation
export interface DriverPoints {}

/** A point of any driver's template. */
export type TemplatePoint = DriverPoints[keyof DriverPoints];

/** A device type: which driver reads it, its points and its default rules and traps. */
export interface DeviceTemplate {
  name: string;
  description: string;
  /** A driver id: a key of DriverPoints (and DriverTargets). */
  driver: keyof DriverPoints;
  category: string;
  measurement: string;
  file: string;
  points: TemplatePoint[];
  rules: TemplateRuleSpec[];
  traps: Array<{ oid: string; name: string; raises?: string; clears?: string }>;
  /** How grave it is when a device of this type stops answering (its `device_comms_lost` alert). */
  comms: { severity: TemplateRuleSpec['severity'] };
}

/** One configured device: where it is, which template it follows, and its driver's connection. */
export interface DeviceSpec extends Partial<DriverTargets> {
  id: string;
  name: string;
  site: string;
  room: string;
  template: DeviceTemplate;
  intervalMs: number;
  /** site + room + device labels and identity, written as InfluxDB tags on every point. */
  tags: Readonly<Record<string, string>>;
}
