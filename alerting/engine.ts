import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AlertingInput } from './config/compile.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { AlertEventRecord } from '../common/contracts/alert-event.js';
import { AlertBook, type Alert, type AlertEvent, type AlertList } from './alerts.js';
import { singleClock, systemAlertClock, type AlertClock } from '../common/clock.js';
import { createState, evaluate, tick, type Transition } from './core/evaluate.js';
import type { Silence } from './core/mute.js';
import { ContextReadings } from './context.js';
import { alertEventRecord } from './events-out.js';
import { Directory } from './notify/directory.js';
import type { Notifier } from './notify/notifier.js';
import { createNotifier, type ReceiverSettings } from './notify/registry.js';
import { ALERT_TICKS } from './pipeline/compose.js';
import { NotificationRunner } from './pipeline/runner.js';
import { Sender } from './pipeline/sender.js';
import { wallAt, type AlertView } from './pipeline/stage.js';
import { RoomGatherer } from './pipeline/stages/group.js';
import { DeviceRuleBook } from './rulebook.js';
import { SELF_DEVICE, SELF_RULES } from './self/rules.js';
import { selfSamples, type SelfStatus } from './self/samples.js';
import { Silences } from './silences.js';
import { Journal } from './state/journal.js';
import type { JournalRecord } from './state/records.js';
import { replay } from './state/replay.js';
import { historyFile, liveRecords } from './state/rotation.js';
import { mappedRule, trapTransitions } from './trap-transitions.js';

export interface EngineDeps {
  config: AlertingInput;
  log: Logger;
  /** Alert events for the history in InfluxDB (Grafana annotations, fault statistics). */
  writeEvent?: (record: AlertEventRecord) => void;
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
 * Alerting on the live stream: readings in, alerts and notifications out. The pure core
 * (core/evaluate.ts) turns readings into transitions, the alert book into events, and the
 * notification path (pipeline/compose.ts) mutes, inhibits, routes, groups, queues and sends them;
 * the ticks (unmute, escalate, repeat) and self-monitoring run once a second. Everything that
 * matters is journaled first, so a restart or SIGKILL loses nothing and re-notifies nothing
 * already delivered. This class only wires those parts and holds what they share.
 */
export class AlertEngine {
  readonly #book = new AlertBook();
  readonly #rules: DeviceRuleBook;
  readonly #state = createState();
  readonly #directory: Directory;
  /** Latest readings of the points rules name as context; `refresh` fills an alert's. */
  readonly #context: ContextReadings;
  readonly #journal: Journal<JournalRecord>;
  readonly #notifiers = new Map<string, Notifier>();
  readonly #gatherer: RoomGatherer;
  readonly #sender: Sender;
  readonly #runner: NotificationRunner;
  readonly #lastSeen = new Map<string, number>();
  readonly #silences: Silences;
  readonly #now: () => number;
  readonly #wall: () => number;
  readonly #devices: string[];
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: EngineDeps) {
    const { config, log } = deps;
    const { alerting } = config;
    const clock = deps.clock ?? (deps.now ? singleClock(deps.now) : systemAlertClock());
    this.#now = clock.now;
    this.#wall = clock.wall;
    this.#rules = new DeviceRuleBook(config.devices, alerting);
    this.#rules.addVirtual(SELF_DEVICE, SELF_RULES);
    this.#directory = new Directory(config);
    this.#context = new ContextReadings(this.#rules, (id) => this.#directory.get(id).units);
    this.#journal = new Journal(join(alerting.stateDir, 'journal.ndjson'));
    this.#devices = config.devices.map((d) => d.id);
    this.#silences = new Silences({ fromConfig: alerting.silences, journal: this.#journal, now: this.#now, wall: this.#wall });
    const view: AlertView = {
      active: () => this.#book.active(),
      silences: () => this.#silences.list(),
      maintenanceWindows: alerting.maintenanceWindows,
      routes: alerting.routes,
      receivers: alerting.receivers.map((r) => r.id),
      device: (id) => this.#directory.get(id),
    };
    const receivers = new Map<string, ReceiverSettings>(alerting.receivers.map((r) => [r.id, r]));
    for (const receiver of alerting.receivers) this.#notifiers.set(receiver.id, createNotifier(receiver, { wall: this.#wall }));
    const journal = this.#journal;
    this.#gatherer = new RoomGatherer(alerting.groupWaitMs);
    this.#sender = new Sender({ notifier: (id) => this.#notifiers.get(id), journal, now: this.#now, log });
    const rendering = { receivers, directory: this.#directory, consoleUrl: alerting.consoleUrl, timeZone: alerting.timeZone };
    this.#runner = new NotificationRunner({ view, now: this.#now, wall: this.#wall, journal, log, gatherer: this.#gatherer, rendering, sender: this.#sender });
  }

  /** Test seam and extension point: replace a receiver's transport. */
  setNotifier(notifier: Notifier): void {
    this.#notifiers.set(notifier.id, notifier);
  }

  start(): void {
    const restored = replay(this.#journal.open(), this.#now());
    this.#silences.restore(restored.silences);
    this.#sender.restore(restored.outbox);
    for (const alert of restored.alerts) this.#book.restore(alert);
    for (const series of restored.series) this.#state.series.set(series.key, series);
    if (restored.alerts.length || this.#sender.size) this.deps.log.info({ alerts: this.#book.active().length, outbox: this.#sender.size }, 'alert state restored');
    this.#rotateIfLarge(restored.pending);
    for (const event of restored.pending) this.#runner.dispatch(event, 0);
    this.#resolveRemoved();
    this.#timer = setInterval(() => this.#tick(), 1000);
    this.#sender.kick();
  }

  /**
   * A restored alert whose device or rule the configuration no longer has would stay active
   * forever (nothing evaluates it): it resolves now, removed from configuration, its recovery to
   * those told of it. A SIGHUP reload builds a new engine on the same journal, so it comes here too.
   */
  #resolveRemoved(): void {
    const now = this.#now();
    for (const alert of this.#book.active()) {
      if (this.#rules.allFor(alert.device).some((rule) => rule.name === alert.rule)) continue;
      const event = this.#book.resolveNow(alert.key, now, { reason: 'removed' });
      if (!event) continue;
      this.#state.series.delete(alert.key);
      this.#journal.append({ t: 'alert', alert: { ...event.alert, pending: event.kind } });
      this.#writeEvent(event);
      this.#runner.dispatch(event, 0);
      this.deps.log.info({ alert: alert.id, rule: alert.rule, device: alert.device }, 'alert resolved: its device or rule was removed from the configuration');
    }
  }

  /** Feeds one poll's readings (called for every poll, whether InfluxDB is up or not). */
  onPoll(outcome: PollOutcome): void {
    const now = this.#now();
    if (outcome.ok) this.#lastSeen.set(outcome.device.id, now);
    this.#context.observe(outcome);
    this.#handle(evaluate(this.#state, outcome.readings, this.#rules, now, this.deps.config.alerting.flapping));
  }

  /** Active and recent alerts, to read (the API, the console); changes go through the engine. */
  alerts(): AlertList {
    return this.#book;
  }

  /** Rules in force across all devices, roomwatch's own included. */
  ruleCount(): number {
    return this.#rules.size;
  }

  acknowledge(id: string, by: string, note?: string): Alert | { error: string } {
    const result = this.#book.acknowledge(id, by, this.#now(), note);
    if ('error' in result) return result;
    const { acknowledged, resolved } = result;
    if (!resolved) {
      this.#journal.append({ t: 'alert', alert: acknowledged.alert });
      this.#writeEvent(acknowledged);
      return acknowledged.alert;
    }
    // A latched alert whose condition had cleared: the ack resolves it, and its recovery goes out as any would.
    this.#journal.append({ t: 'alert', alert: { ...resolved.alert, pending: resolved.kind } });
    this.#writeEvent(acknowledged);
    this.#writeEvent(resolved);
    this.#runner.dispatch(resolved, 0);
    return resolved.alert;
  }

  /** Silences from config and from people (API), newest last; expired ones are not listed. */
  silences(): Silence[] {
    return this.#silences.list();
  }

  addSilence(input: Omit<Silence, 'id'>): Silence {
    return this.#silences.add(input);
  }

  expireSilence(id: string): boolean {
    return this.#silences.expire(id);
  }

  /** A trap the device's template maps to one of its rules raises or clears it (trap-transitions.ts). Returns the rule it touched, if any. */
  onTrap(device: string, oid: string): string | undefined {
    const mapped = mappedRule(this.deps.config.devices.find((d) => d.id === device), this.#rules, oid);
    if (mapped) this.#handle(trapTransitions(this.#state, mapped.rule, device, mapped.mapping, this.#now()));
    return mapped?.rule.name;
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
      // A value that moved on an active alert: shown at once, journaled with the alert's next record.
      if (transition.kind === 'updated') {
        this.#book.apply(transition);
        continue;
      }
      const event = this.#book.apply(transition);
      if (event?.kind === 'opened') this.#context.refresh(event.alert);
      const alert = event?.alert ?? this.#book.active().find((a) => a.key === transition.key);
      if (!event) {
        // A latched alert's condition cleared (or it was wet again): no notice, but a restart must know.
        if (alert && (transition.kind === 'firing' || transition.kind === 'resolved' || transition.kind === 'flapping_ended')) this.#journal.append({ t: 'alert', alert });
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
    const live = liveRecords({ active: this.#book.active(), waiting, silences: this.#silences.setByPeople(), outbox: this.#sender.entries() }, this.#wall());
    this.#journal.rotate(live, historyFile(this.deps.config.alerting.stateDir, this.#wall()));
    this.deps.log.info({ live: live.length }, 'alert journal rotated; history kept in history/');
  }

  #tick(): void {
    const now = this.#now();
    const at = { now, wall: this.#wall() };
    const { flapping, repeatIntervalMs } = this.deps.config.alerting;
    this.#rotateIfLarge();
    this.#handle(evaluate(this.#state, selfSamples(now, this.#sender.failing(), this.deps.selfStatus?.()), this.#rules, now, flapping));
    this.#handle(tick(this.#state, this.#devices, this.#rules, now, this.#lastSeen, flapping));
    this.#runner.tick(ALERT_TICKS, this.#book.active(), at, repeatIntervalMs);
    this.#sender.kickIfDue(now);
  }

  #writeEvent(event: AlertEvent): void {
    if (!this.deps.writeEvent) return;
    const at = { now: this.#now(), wall: this.#wall() };
    this.deps.writeEvent(alertEventRecord(event, this.#directory.get(event.alert.device), (t) => wallAt(t, at)));
  }
}
