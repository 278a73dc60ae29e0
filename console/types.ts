/**
 * The API's answers as the console reads them (the server's TypeBox schemas are the reference:
 * api/routes/*.ts). Only the fields the console uses; the browser code cannot import the server's.
 */
export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Language = 'zh-CN' | 'en';
export type Localized = Record<Language, string>;

export interface ValueText {
  value?: string;
  threshold: string;
  state: boolean;
  byState: boolean;
}

export interface Person {
  by: string;
  at: number;
}

export interface Alert {
  id: string;
  rule: string;
  severity: Severity;
  summary: Localized;
  device: string;
  labels: Record<string, string>;
  status: 'firing' | 'acknowledged' | 'resolved';
  flapping: boolean;
  condition?: 'holds' | 'cleared';
  value?: number | string;
  threshold: string;
  measurement: string;
  field: string;
  firingSince: number;
  resolvedAt?: number;
  ack?: Person & { note?: string };
  notes: Array<Person & { text: string }>;
  muted?: string;
  latchedAt?: number;
  incidentId?: string;
  category?: string;
  advice?: Record<Language, string[]>;
  place?: { name: string; site: string; siteName: string; room: string; roomName: string; deviceType: string };
  context?: Array<{ measurement: string; field: string; value: number | string | null; unit?: string; at: number }>;
  display?: Record<Language, ValueText>;
}

export interface Incident {
  id: string;
  type: string;
  scope: { level: 'site' | 'room' | 'device'; site: string; room?: string; device?: string };
  severity: Severity;
  category: string;
  summary: Localized;
  advice?: Record<Language, string[]>;
  status: 'open' | 'acknowledged' | 'settling' | 'resolved';
  openedAt: number;
  resolvedAt?: number;
  members: Array<{ id: string; role: 'opener' | 'member'; joinedAt: number }>;
  ack?: Person & { note?: string };
  notes: Array<Person & { text: string }>;
}

export interface Listing<T> {
  active: T[];
  recent: T[];
}

export interface Silence {
  id: string;
  matchers: Record<string, string>;
  startsAt: number;
  endsAt: number;
  author: string;
  reason: string;
}

export interface Reading {
  measurement: string;
  field: string;
  tags?: Record<string, string>;
  value: number | string | null;
  unit?: string;
  at: number;
}

export interface DeviceStatus {
  id: string;
  name: string;
  site: string;
  siteName: string;
  room: string;
  roomName: string;
  type: string;
  category: string;
  status: 'up' | 'down' | 'unknown';
  lastPollAt?: number;
  lastOkAt?: number;
  lastError?: string;
  readings: Reading[];
}

export interface Series {
  measurement: string;
  field: string;
  tags?: Record<string, string>;
  unit?: string;
  /** [ms, value]: a state point's values may be text; the chart draws only numbers. */
  points: Array<[number, number | string | null]>;
}

/** GET /api/alerts/:id/readings: the alert's own point, and the points its rule names as context, over [from, to]. */
export interface AlertReadings {
  from: number;
  to: number;
  series: Series[];
  context: Series[];
}

/** One alert_events row as GET /api/history answers it: tags and fields by name, time in epoch ms. */
export type HistoryRow = Record<string, string | number | null> & { time: number };

export interface TimelineEntry {
  at: number;
  event: string;
  by?: string;
  text?: string;
  receiver?: string;
}

export interface Site {
  id: string;
  name: string;
  rooms: Array<{ id: string; name: string; devices: number; down: number; alerts: Record<Severity, number> }>;
}
