import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AlertingInput } from './config/compile.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { Reading } from '../common/contracts/reading.js';
import { AlertBook, type Alert, type AlertEvent } from './alerts.js';
import { singleClock, systemAlertClock, type AlertClock } from '../common/clock.js';
import { createState, evaluate, seriesKey, tick, type Sample, type Transition } from './core/evaluate.js';
import { Directory } from './notify/directory.js';
import type { Notifier } from './notify/notifier.js';
import { createNotifier, type ReceiverSettings } from './notify/registry.js';
import { DeviceRuleBook } from './rulebook.js';
import { SELF_DEVICE, SELF_MEASUREMENT, SELF_RULES } from './self-rules.js';
import type { Silence } from './core/mute.js';
import { NotificationRunner } from './pipeline/runner.js';
import { Sender } from './pipeline/sender.js';
import type { AlertView } from './pipeline/stage.js';
import { RoomGatherer } from './pipeline/stages/group.js';
import { muteReason } from './pipeline/stages/mute.js';
import { routesFor } from './pipeline/stages/route.js';
import { Journal } from './state/journal.js';
import type { JournalRecord } from './state/records.js';
import { replay } from './state/replay.js';
import { historyFile, liveRecords } from './state/rotation.js';

/** What the rest of roomwatch tells the engine about its own health. */
export interface SelfStatus {
  influxReachable: boolean;
  spoolFillPercent: number;
  pollerOverruns: number;
  configReloadRejected: boolean;
}

export interface EngineDeps {
  config: AlertingInput;
  log: Logger;
  /** Alert transitions as readings for InfluxDB (Grafana annotations, fault statistics). */
  writeReadings?: (readings: Reading[]) => void;
  selfStatus?: () => SelfStatus;
  /** One clock for durations and dates alike (tests); `clock` keeps them apart. */
  now?: () => number;
  /** Default: steady time for durations, the wall clock for dates (see AlertClock). */
  clock?: AlertClock;
  /** Journal records after which history is rotated out (default 20,000). */
  rotateAfter?: number;
}

const ROTATE_AFTER = 20_000;

/**
 * Alerting on the live stream: readings in, alerts and notifications out. Stages run in order —
 * evaluate (pure core) → lifecycle → inhibit → route → group (per receiver and room, group_wait)
 * → outbox (journaled before any attempt) → send with retries. Escalation and repeats run on a
 * tick. Everything that matters is in the journal first, so a restart or SIGKILL loses nothing
 * and re-notifies nothing already delivered.
 */
export class AlertEngine {
  readonly book = new AlertBook();
  readonly rules: DeviceRuleBook;
  readonly #state = createState();
  readonly #directory: Directory;
  readonly #journal: Journal<JournalRecord>;
  readonly #notifiers = new Map<string, Notifier>();
  readonly #receivers = new Map<string, ReceiverSettings>();
  readonly #gatherer: RoomGatherer;
  readonly #sender: Sender;
  readonly #runner: NotificationRunner;
  readonly #lastSeen = new Map<string, number>();
  readonly #now: () => number;
  readonly #wall: () => number;
  #timer: NodeJS.Timeout | undefined;
  readonly #silences = new Map<string, Silence>();
  #devices: string[];
  readonly #view: AlertView;

  constructor(private readonly deps: EngineDeps) {
    const { config } = deps;
    const clock = deps.clock ?? (deps.now ? singleClock(deps.now) : systemAlertClock());
    this.#now = clock.now;
    this.#wall = clock.wall;
    this.rules = new DeviceRuleBook(config.devices, config.alerting);
    this.rules.addVirtual(SELF_DEVICE, SELF_RULES);
    this.#directory = new Directory(config);
    this.#journal = new Journal(join(config.alerting.stateDir, 'journal.ndjson'));
    this.#devices = config.devices.map((d) => d.id);
    const { maintenanceWindows, routes, receivers } = config.alerting;
    this.#view = {
      active: () => this.book.active(),
      silences: () => this.silences(),
      maintenanceWindows,
      routes,
      receivers: receivers.map((r) => r.id),
      device: (id) => this.#directory.get(id),
    };
    for (const receiver of config.alerting.receivers) {
      this.#receivers.set(receiver.id, receiver);
      this.#notifiers.set(receiver.id, createNotifier(receiver, { wall: this.#wall }));
    }
    const { log } = deps;
    const journal = this.#journal;
    this.#gatherer = new RoomGatherer(config.alerting.groupWaitMs);
    this.#sender = new Sender({ notifier: (id) => this.#notifiers.get(id), journal, now: this.#now, log });
    const rendering = { receivers: this.#receivers, directory: this.#directory, consoleUrl: config.alerting.consoleUrl, timeZone: config.alerting.timeZone };
    this.#runner = new NotificationRunner({ view: this.#view, now: this.#now, wall: this.#wall, journal, log, gatherer: this.#gatherer, rendering, sender: this.#sender });
  }

  /** Test seam and extension point: replace a receiver's transport. */
  setNotifier(notifier: Notifier): void {
    this.#notifiers.set(notifier.id, notifier);
  }

  start(): void {
    const restored = replay(this.#journal.open(), this.#now());
    for (const silence of restored.silences) this.#silences.set(silence.id, silence);
    this.#sender.restore(restored.outbox);
    for (const alert of restored.alerts) this.book.restore(alert);
    for (const series of restored.series) this.#state.series.set(series.key, series);
    if (restored.alerts.length || this.#sender.size) this.deps.log.info({ alerts: this.book.active().length, outbox: this.#sender.size }, 'alert state restored');
    this.#rotateIfLarge(restored.pending);
    for (const event of restored.pending) this.#runner.dispatch(event, 0);
    this.#timer = setInterval(() => this.#tick(), 1000);
    this.#sender.kick();
  }

  /** Feeds one poll's readings (called for every poll, whether InfluxDB is up or not). */
  onPoll(outcome: PollOutcome): void {
    const now = this.#now();
    if (outcome.ok) this.#lastSeen.set(outcome.device.id, now);
    this.#handle(evaluate(this.#state, outcome.readings, this.rules, now, this.deps.config.alerting.flapping));
  }

  acknowledge(id: string, by: string, note?: string): Alert | { error: string } {
    const result = this.book.acknowledge(id, by, this.#now(), note);
    if ('error' in result) return result;
    this.#journal.append({ t: 'alert', alert: result.alert });
    this.#writeEvent(result);
    return result.alert;
  }

  /** Silences from config and from people (API), newest last; expired ones are not listed. */
  silences(): Silence[] {
    const now = this.#wall();
    return [...this.deps.config.alerting.silences, ...this.#silences.values()].filter((s) => s.endsAt > now);
  }

  addSilence(input: Omit<Silence, 'id'>): Silence {
    const silence: Silence = { ...input, id: createHash('sha256').update(`${JSON.stringify(input)}|${this.#now()}`).digest('hex').slice(0, 10) };
    this.#journal.append({ t: 'silence', silence });
    this.#silences.set(silence.id, silence);
    return silence;
  }

  expireSilence(id: string): boolean {
    if (!this.#silences.has(id)) return false;
    this.#journal.append({ t: 'expire', id });
    this.#silences.delete(id);
    return true;
  }

  /**
   * A trap the device's template maps to one of its rules: raise or clear that rule's alert at
   * once (same identity as the polled alert, so the next poll confirms or resolves it).
   * Returns the rule it touched, if any.
   */
  onTrap(device: string, oid: string): string | undefined {
    const spec = this.deps.config.devices.find((d) => d.id === device);
    const mapping = spec?.template.traps.find((t) => t.oid === oid);
    const ruleName = mapping?.raises ?? mapping?.clears;
    const rule = ruleName ? this.rules.allFor(device).find((r) => r.name === ruleName) : undefined;
    if (!mapping || !rule) return undefined;
    const now = this.#now();
    const key = seriesKey(rule.name, device, {});
    const series = this.#state.series.get(key);
    const firing = series?.phase === 'firing' || series?.phase === 'clearing';
    if (mapping.raises && !firing) {
      this.#state.series.set(key, { key, rule: rule.name, device, labels: {}, phase: 'firing', since: now, firingSince: now, lastSeen: now, changes: [now], flapping: false });
      this.#handle([{ kind: 'firing', key, rule, device, labels: {}, at: now, firingSince: now }]);
    } else if (mapping.clears && firing) {
      this.#state.series.set(key, { ...series, phase: 'ok', since: now });
      this.#handle([{ kind: 'resolved', key, rule, device, labels: {}, at: now, firingSince: series.firingSince, value: series.value }]);
    }
    return rule.name;
  }

  outboxSize(): number {
    return this.#sender.size;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    // Gathered but not yet queued: queue now (journaled) rather than lose them.
    await this.#runner.stop();
    this.#journal.close();
  }

  #handle(transitions: Transition[]): void {
    for (const transition of transitions) {
      const event = this.book.apply(transition);
      const alert = event?.alert ?? this.book.active().find((a) => a.key === transition.key);
      if (!event) {
        if (alert && (transition.kind === 'firing' || transition.kind === 'flapping_ended')) this.#journal.append({ t: 'alert', alert });
        continue;
      }
      this.#journal.append({ t: 'alert', alert: { ...event.alert, pending: event.kind } });
      this.#writeEvent(event);
      this.#runner.dispatch(event, 0);
    }
  }

  /** Keeps the journal quick to replay: past ROTATE_AFTER records, history moves to history/. */
  #rotateIfLarge(pending: readonly AlertEvent[] = []): void {
    if (this.#journal.growth < (this.deps.rotateAfter ?? ROTATE_AFTER)) return;
    // Notices not yet queued (restored ones, and those gathering in groups) keep their marker.
    const waiting = [...pending, ...this.#gatherer.waiting()];
    const live = liveRecords({ active: this.book.active(), waiting, silences: this.#silences.values(), outbox: this.#sender.entries() }, this.#wall());
    this.#journal.rotate(live, historyFile(this.deps.config.alerting.stateDir, this.#wall()));
    this.deps.log.info({ live: live.length }, 'alert journal rotated; history kept in history/');
  }

  #tick(): void {
    const now = this.#now();
    const at = { now, wall: this.#wall(), view: this.#view };
    this.#rotateIfLarge();
    const selfSamples = this.#selfSamples(now);
    this.#handle(evaluate(this.#state, selfSamples, this.rules, now, this.deps.config.alerting.flapping));
    this.#handle(tick(this.#state, this.#devices, this.rules, now, this.#lastSeen, this.deps.config.alerting.flapping));
    const { repeatIntervalMs } = this.deps.config.alerting;
    for (const alert of this.book.active()) {
      if (alert.muted && !muteReason(alert, now, at)) {
        // The silence or window is over and the alert still fires: tell people now.
        alert.muted = undefined;
        this.#runner.dispatch({ kind: 'opened', alert, at: now }, 0);
        continue;
      }
      if (alert.ack || alert.muted) continue;
      for (const route of routesFor(alert, this.#view)) {
        if (route.escalateAfterMs !== undefined && now - alert.firingSince >= route.escalateAfterMs && !alert.tiers.includes(1)) {
          alert.tiers.push(1);
          this.#journal.append({ t: 'alert', alert });
          this.#runner.dispatch({ kind: 'opened', alert, at: now }, 1);
        }
      }
      if (alert.severity === 'critical' && now - (alert.lastSentAt ?? alert.firingSince) >= repeatIntervalMs) {
        alert.lastSentAt = now;
        this.#runner.dispatch({ kind: 'opened', alert, at: now }, 0);
      }
    }
    this.#sender.kickIfDue(now);
  }

  #selfSamples(now: number): Sample[] {
    const status = this.deps.selfStatus?.();
    const tags = { device: SELF_DEVICE };
    const sample = (field: string, value: number): Sample => ({ measurement: SELF_MEASUREMENT, field, tags, value, time: now });
    const samples = [sample('notifications_failed', this.#sender.failing())];
    if (status) {
      samples.push(
        sample('influxdb_reachable', status.influxReachable ? 1 : 0),
        sample('spool_fill_percent', status.spoolFillPercent),
        sample('poller_overruns', status.pollerOverruns),
        sample('config_reload_rejected', status.configReloadRejected ? 1 : 0),
      );
    }
    return samples;
  }

  /** A steady time as a date: equal while the wall clock has not been stepped since start. */
  #toWall(steady: number): number {
    return steady + (this.#wall() - this.#now());
  }

  #writeEvent(event: AlertEvent): void {
    if (!this.deps.writeReadings) return;
    const a = event.alert;
    const info = this.#directory.get(a.device);
    const tags = { site: info.site, room: info.room, device: a.device, device_type: info.deviceType, rule: a.rule, severity: a.severity, event: event.kind };
    const base = { measurement: 'alert_events', tags, time: this.#toWall(event.at), source: 'alerting' };
    const readings: Reading[] = [{ ...base, field: 'alert_id', value: a.id }];
    if (typeof a.value === 'number') readings.push({ ...base, field: 'value', value: a.value });
    if (event.kind === 'resolved' && a.resolvedAt) readings.push({ ...base, field: 'duration_s', value: Math.round((a.resolvedAt - a.firingSince) / 1000) });
    if (event.kind === 'acknowledged' && a.ack) readings.push({ ...base, field: 'ack_after_s', value: Math.round((a.ack.at - a.firingSince) / 1000) }, { ...base, field: 'ack_by', value: a.ack.by });
    this.deps.writeReadings(readings);
  }
}
