import { resolve } from 'node:path';
import type { DeviceSpec } from '../../common/contracts/device.js';
import { duplicates } from '../../common/config/duplicates.js';
import { resolveSecret, type Env } from '../../common/config/secret.js';
import { parseDuration } from '../../common/config/units.js';
import type { ConfigIssue, PathSegment, YamlSource } from '../../common/config/yaml-source.js';
import type { MaintenanceWindow, Silence, Weekday } from '../core/mute.js';
import type { IncidentType } from '../incidents/incident.js';
import type { ReceiverSettings } from '../notify/registry.js';
import { compileReceivers } from './receivers.js';
import { compileRoutes, type RouteSettings } from './routes.js';
import { newRuleIssues } from './rules.js';
import type { AlertingConfigInput, RuleConfigInput } from './schema.js';

export interface AlertingSettings {
  stateDir: string;
  language: 'zh-CN' | 'en';
  timeZone: string;
  consoleUrl?: string;
  /** Base of the link in every message: link_url, else console_url, else the API (app/config/load.ts fills it in). */
  linkUrl?: string;
  commsLostPolls: number;
  staleAfterPolls: number;
  flapping: { windowMs: number; changes: number };
  groupWaitMs: number;
  repeatIntervalMs: number;
  rules: RuleConfigInput[];
  receivers: ReceiverSettings[];
  routes: RouteSettings[];
  silences: Silence[];
  maintenanceWindows: MaintenanceWindow[];
  incidents: IncidentSettings;
}

/** alerting.incidents, compiled (see the schema for what each means). */
export interface IncidentSettings {
  /** 'auto': twice the longest poll interval in the explained alert's scope, at least group_wait. */
  holdMs: number | 'auto';
  windowBeforeMs: number;
  /** undefined: open. */
  windowAfterMs?: number;
  settleMs: number;
  types: IncidentType[];
}

/** What a site looks like to alerting: names for messages, nothing more. */
export interface SiteInfo {
  id: string;
  name?: string;
  rooms: readonly { id: string; name?: string }[];
}

/**
 * What the alerting engine is built from. Declared here so that alerting needs nothing from the
 * product config; the loaded RoomwatchConfig satisfies it as it is.
 */
export interface AlertingInput {
  devices: readonly DeviceSpec[];
  sites: readonly SiteInfo[];
  alerting: AlertingSettings;
}

export interface AlertingCompileContext {
  source: YamlSource;
  /** The config file's folder: state_dir and receiver files are relative to it. */
  baseDir: string;
  env: Env;
  /** Names of the rules templates ship (and the built-in ones): a config rule with one overrides it. */
  shippedRules: ReadonlySet<string>;
  issues: ConfigIssue[];
}

const path: PathSegment[] = ['alerting'];

export function compileAlerting(input: AlertingConfigInput, ctx: AlertingCompileContext): AlertingSettings {
  const { source, issues } = ctx;
  issues.push(...newRuleIssues(input.rules, ctx.shippedRules, source, [...path, 'rules']));
  issues.push(...duplicates(input.receivers.map((value, i) => ({ value, source, path: [...path, 'receivers', i] })), 'receiver'));
  const receivers = compileReceivers(input.receivers, {
    source,
    path: [...path, 'receivers'],
    baseDir: ctx.baseDir,
    language: input.language,
    issues,
    resolveSecret: (value, at) => resolveSecret(value, ctx.env, source, at, issues),
  });
  timeZoneIssue(input.time_zone, source, [...path, 'time_zone'], issues);
  const routes = compileRoutes(input.routes, new Set(input.receivers.map((r) => r.id)), source, [...path, 'routes'], issues);
  return {
    stateDir: resolve(ctx.baseDir, input.state_dir),
    language: input.language,
    timeZone: input.time_zone,
    consoleUrl: input.console_url,
    commsLostPolls: input.comms_lost_polls,
    staleAfterPolls: input.stale_after_polls,
    flapping: { windowMs: parseDuration(input.flapping_window), changes: input.flapping_changes },
    groupWaitMs: parseDuration(input.group_wait),
    repeatIntervalMs: parseDuration(input.repeat_interval),
    rules: input.rules,
    receivers,
    routes,
    silences: input.silences.map((silence, i) => {
      const at: PathSegment[] = [...path, 'silences', i];
      const startsAt = silence.starts ? Date.parse(silence.starts) : 0;
      const endsAt = Date.parse(silence.ends);
      // The pattern admits 2026-13-45T99:00; Date.parse says NaN, and a NaN end never matches.
      if (Number.isNaN(startsAt)) issues.push(source.issueAt([...at, 'starts'], `"${silence.starts}" is not a real date and time`));
      if (Number.isNaN(endsAt)) issues.push(source.issueAt([...at, 'ends'], `"${silence.ends}" is not a real date and time`));
      else if (endsAt <= startsAt) issues.push(source.issueAt([...at, 'ends'], '"ends" must be after "starts"'));
      return { id: `config-${i}`, matchers: silence.matchers, startsAt, endsAt, author: silence.author, reason: silence.reason };
    }),
    maintenanceWindows: input.maintenance_windows.map((w, i) => {
      timeZoneIssue(w.time_zone, source, [...path, 'maintenance_windows', i, 'time_zone'], issues);
      const minute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
      return { name: w.name, matchers: w.matchers, weekdays: w.weekdays as Weekday[], startMinute: minute(w.start), endMinute: minute(w.end), timeZone: w.time_zone };
    }),
    incidents: compileIncidents(input.incidents),
  };
}

function compileIncidents(input: AlertingConfigInput['incidents']): IncidentSettings {
  return {
    holdMs: input.hold === 'auto' ? 'auto' : parseDuration(input.hold),
    windowBeforeMs: parseDuration(input.window_before),
    windowAfterMs: input.window_after === 'open' ? undefined : parseDuration(input.window_after),
    settleMs: parseDuration(input.settle),
    types: input.types.map((t) => ({ name: t.name, scope: t.scope as IncidentType['scope'], category: t.category, summary: t.summary, advice: t.advice })),
  };
}

/** The schema takes any string; Intl is what later formats times in the zone, so it decides. */
function timeZoneIssue(zone: string, source: YamlSource, at: PathSegment[], issues: ConfigIssue[]): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    issues.push(source.issueAt(at, `unknown time zone "${zone}" (expected an IANA name such as Asia/Shanghai)`));
  }
}
