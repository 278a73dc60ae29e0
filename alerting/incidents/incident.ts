import type { Alert, AlertEvent } from '../alerts.js';
import type { Severity } from '../core/rule.js';
import type { FaultCategory, RuleAdvice } from '../../common/contracts/template-rule.js';

/** A text in each language messages speak. */
export interface Localized {
  en: string;
  'zh-CN': string;
}

/**
 * What kind of incident one fault is: a mains failure in a room, a device that does not answer,
 * or one a config names. Rules say `incident: <type>` (their alert opens one) and
 * `explained_by: <type>` (their alert is a consequence and joins one in scope).
 */
export interface IncidentType {
  name: string;
  /** How far one incident reaches: the alerts of which devices it can explain. */
  scope: 'site' | 'room' | 'device';
  category: FaultCategory;
  /** "市电中断" / "mains failure": the message heading says it of the place. */
  summary: Localized;
  advice?: RuleAdvice;
}

export type IncidentStatus = 'open' | 'acknowledged' | 'settling' | 'resolved';

/** An alert that is part of an incident: one that opened it, or one it explains. */
export interface IncidentMember {
  /** The alert's key and id (alerts.ts). */
  key: string;
  id: string;
  role: 'opener' | 'member';
  joinedAt: number;
  /** It had been notified on its own before it joined: the next incident message says it belongs here now. */
  reattributed?: boolean;
  /** An incident message has listed it: the incident's recovery reports it; nothing reports it alone. */
  listed?: boolean;
}

/** One fault as people handle it: opened by one or more alerts, with the alerts it explains folded in. */
export interface Incident {
  /** 10 hex characters, typed by people like an alert id. */
  id: string;
  type: string;
  scope: { level: IncidentType['scope']; site: string; room?: string; device?: string };
  /** The gravest of its openers. */
  severity: Severity;
  category: FaultCategory;
  summary: Localized;
  /** What to do, from its type (a copy, as alerts keep their rule's). */
  advice?: { en: string[]; 'zh-CN': string[] };
  status: IncidentStatus;
  openedAt: number;
  /** Its last opener cleared at this time; members get `settle` to clear before the recovery. */
  settlingSince?: number;
  resolvedAt?: number;
  /** Openers first, then members, each in joining order. */
  members: IncidentMember[];
  ack?: { by: string; at: number; note?: string };
  notes: Array<{ by: string; at: number; text: string }>;
  /** Receivers its opening message was queued for: only they hear of its recovery. */
  told?: string[];
  /** Escalation tiers already notified (0 = first receivers). */
  tiers: number[];
  lastSentAt?: number;
}

/**
 * A change in an incident worth a message. `alerts` are its alerts as they are when the message is
 * rendered (openers first, then members in joining order): the message lists them.
 */
export interface IncidentEvent {
  kind: 'incident_opened' | 'incident_resolved';
  incident: Incident;
  alerts: readonly Alert[];
  at: number;
}

/** What a notification can be about: one alert's change, or an incident's. */
export type NotifyEvent = AlertEvent | IncidentEvent;

export function isIncidentEvent(event: NotifyEvent): event is IncidentEvent {
  return 'incident' in event && typeof event.incident === 'object';
}

/** The incidents to read (API, CLI, console); changes go through the engine. */
export interface IncidentList {
  /** Open, acknowledged or settling, oldest first. */
  active(): Incident[];
  /** Resolved lately, newest first. */
  recent(): Incident[];
}
