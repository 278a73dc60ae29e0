/** What an alert is matched on: its identity labels. */
export type AlertLabels = Readonly<Record<string, string>>;

/** A silence: alerts matching every matcher are not notified between starts and ends. */
export interface Silence {
  id: string;
  matchers: Readonly<Record<string, string>>;
  startsAt: number;
  endsAt: number;
  author: string;
  reason: string;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A recurring maintenance window, e.g. every Saturday 02:00–04:00 Beijing time. */
export interface MaintenanceWindow {
  name: string;
  matchers: Readonly<Record<string, string>>;
  weekdays: readonly Weekday[];
  /** Minutes after local midnight; end < start means the window runs past midnight. */
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

export function matches(matchers: Readonly<Record<string, string>>, labels: AlertLabels): boolean {
  return Object.entries(matchers).every(([key, value]) => labels[key] === value);
}

/**
 * Silences and maintenance windows share one question (Alertmanager's "muter"): is this alert
 * muted at `now`, and why? Time is passed in; nothing here reads a clock.
 */
export function mutedBy(labels: AlertLabels, silences: readonly Silence[], windows: readonly MaintenanceWindow[], now: number): string | undefined {
  const silence = silences.find((s) => s.startsAt <= now && now < s.endsAt && matches(s.matchers, labels));
  if (silence) return `silenced by ${silence.author} until ${new Date(silence.endsAt).toISOString()}: ${silence.reason} (silence ${silence.id})`;
  const window = windows.find((w) => inWindow(w, now) && matches(w.matchers, labels));
  if (window) return `maintenance window ${window.name}`;
  return undefined;
}

export function inWindow(window: MaintenanceWindow, now: number): boolean {
  const { weekday, minute } = localTime(now, window.timeZone);
  if (window.startMinute <= window.endMinute) return window.weekdays.includes(weekday) && minute >= window.startMinute && minute < window.endMinute;
  // Past midnight: the evening part belongs to the listed day, the early part to the day after.
  const previous = WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7]!;
  return (window.weekdays.includes(weekday) && minute >= window.startMinute) || (window.weekdays.includes(previous) && minute < window.endMinute);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(now: number, timeZone: string): { weekday: Weekday; minute: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(now)).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour) % 24;
  return { weekday: String(parts.weekday).toLowerCase().slice(0, 3) as Weekday, minute: hour * 60 + Number(parts.minute) };
}
