import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AlertingInput } from './config/compile.js';
import type { PollOutcome } from '../common/contracts/poll.js';
import type { AlertEventRecord } from '../common/contracts/alert-event.js';
import { AlertBook, type Alert, type AlertList } from './alerts.js';
import { singleClock, systemAlertClock, type AlertClock } from '../common/clock.js';
import { createState, evaluate, tick, type Transition } from './core/evaluate.js';
import type { Silence } from './core/mute.js';
import { ContextReadings } from './context.js';
import { HistoryRows } from './history-rows.js';
import { IncidentBook, type IncidentChange } from './incidents/book.js';
import { holdFor } from './incidents/hold.js';
import type { Incident, IncidentList, NotifyEvent } from './incidents/incident.js';
import { IncidentTypes } from './incidents/types.js';
import { Directory } from './notify/directory.js';
import type { Notifier } from './notify/notifier.js';
import { createNotifier, type ReceiverSettings } from './notify/registry.js';
import { ALERT_TICKS, INCIDENT_TICKS, MEMBER_TICKS } from './pipeline/compose.js';
import { NotificationRunner } from './pipeline/runner.js';
import { Sender } from './pipeline/sender.js';
import type { AlertView, IncidentView } from './pipeline/stage.js';
import { incidentEvent } from './pipeline/stages/fold.js';
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
  readonly #incidents: IncidentBook;
  readonly #incidentView: IncidentView;
  /** Opened rows of alerts waiting for their incident (hold): written once they join one, or alone when the hold is over. */
  readonly #history: HistoryRows;
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
    const { incidents } = alerting;
    const types = new IncidentTypes(incidents.types);
    const place = (device: string) => {
      const info = this.#directory.get(device);
      return { site: info.site, room: info.room, device };
    };
    this.#incidents = new IncidentBook({ types, windows: { beforeMs: incidents.windowBeforeMs, afterMs: incidents.windowAfterMs }, place });
    const holdMs = holdFor(config.devices, { holdMs: incidents.holdMs, groupWaitMs: alerting.groupWaitMs }, types, place);
    this.#incidentView = { get: (id) => this.#incidents.get(id), alertsOf: (incident) => this.#alertsOf(incident), holdMs };
    this.#history = new HistoryRows({ write: deps.writeEvent, device: (id) => this.#directory.get(id), now: this.#now, wall: this.#wall, holdMs });
    const view: AlertView = {
      active: () => this.#book.active(),
      silences: () => this.#silences.list(),
      maintenanceWindows: alerting.maintenanceWindows,
      routes: alerting.routes,
      receivers: alerting.receivers.map((r) => r.id),
      device: (id) => this.#directory.get(id),
      incidents: this.#incidentView,
    };
    const receivers = new Map<string, ReceiverSettings>(alerting.receivers.map((r) => [r.id, r]));
    for (const receiver of alerting.receivers) this.#notifiers.set(receiver.id, createNotifier(receiver, { wall: this.#wall }));
    const journal = this.#journal;
    this.#gatherer = new RoomGatherer(alerting.groupWaitMs);
    this.#sender = new Sender({ notifier: (id) => this.#notifiers.get(id), journal, now: this.#now, log });
    const rendering = { receivers, directory: this.#directory, consoleUrl: alerting.consoleUrl, timeZone: alerting.timeZone, refreshContext: this.#context.refresh };
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
    for (const incident of restored.incidents) this.#incidents.restore(incident);
    // A journal older than incidents: its openers open them again, as they would have.
    const adopted = this.#incidents.adopt(this.#book.active(), this.#now());
    if (adopted.length) this.#journal.append(...changeRecords(adopted));
    for (const series of restored.series) this.#state.series.set(series.key, series);
    if (restored.alerts.length || this.#sender.size) this.deps.log.info({ alerts: this.#book.active().length, outbox: this.#sender.size }, 'alert state restored');
    this.#rotateIfLarge(restored.pending);
    for (const event of restored.pending) this.#runner.dispatch(event, 0);
    for (const alert of this.#book.active()) if (alert.place) this.#directory.adopt(alert.device, alert.place);
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
    const incidents = new Set<string>();
    for (const alert of this.#book.active()) {
      if (this.#rules.allFor(alert.device).some((rule) => rule.name === alert.rule)) continue;
      const incidentId = alert.incidentId;
      const event = this.#book.resolveNow(alert.key, now, { reason: 'removed' });
      if (!event) continue;
      if (incidentId) incidents.add(incidentId);
      this.#state.series.delete(alert.key);
      this.#journal.append({ t: 'alert', alert: { ...event.alert, pending: event.kind } });
      this.#history.write(event);
      this.#runner.dispatch(event, 0);
      this.deps.log.info({ alert: alert.id, rule: alert.rule, device: alert.device }, 'alert resolved: its device or rule was removed from the configuration');
    }
    // An incident whose openers were all removed ends now, not after `settle`: nothing is left to recover.
    const resolved = [...incidents].flatMap((id) => this.#incidents.resolveOrphan(id, this.#book.active(), now) ?? []);
    this.#incidentsResolved(resolved, now);
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

  /** Active and recent incidents, to read (the API, the CLI); changes go through the engine. */
  incidents(): IncidentList {
    return this.#incidents;
  }

  /** An incident, active or recent, with its alerts in member order. */
  incident(id: string): { incident: Incident; alerts: Alert[] } | undefined {
    const incident = this.#incidents.get(id);
    return incident && { incident, alerts: this.#alertsOf(incident) };
  }

  /**
   * Someone took the incident on: it and each of its active alerts are acknowledged (which stops
   * their escalation and repeats; a latched alert whose condition cleared resolves, silently, as
   * the incident's recovery reports it).
   */
  acknowledgeIncident(id: string, by: string, note?: string): Incident | { error: string } {
    const result = this.#incidents.acknowledge(id, by, this.#now(), note);
    if ('error' in result) return result;
    this.#journal.append({ t: 'incident', incident: result });
    const members = new Set(result.members.map((m) => m.id));
    for (const alert of this.#book.active()) if (members.has(alert.id) && !alert.ack) this.acknowledge(alert.id, by, note);
    return result;
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
      this.#history.write(acknowledged);
      return acknowledged.alert;
    }
    // A latched alert whose condition had cleared: the ack resolves it, and its recovery goes out as any would.
    this.#journal.append({ t: 'alert', alert: { ...resolved.alert, pending: resolved.kind } });
    this.#history.write(acknowledged);
    this.#history.write(resolved);
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

  /** How long the oldest notification in the outbox has waited (undefined when it is empty), for readiness. */
  outboxOldestAgeMs(): number | undefined {
    let oldest: number | undefined;
    for (const entry of this.#sender.entries()) if (oldest === undefined || entry.createdAt < oldest) oldest = entry.createdAt;
    return oldest === undefined ? undefined : this.#now() - oldest;
  }

  /** Rules judged since start, for the daemon's metrics. */
  ruleEvaluations(): number {
    return this.#state.evaluations;
  }

  /** Delivery attempts since start per channel (receiver type), for the daemon's metrics. */
  notificationAttempts(): Array<{ channel: string; sent: number; failed: number }> {
    const byChannel = new Map<string, { channel: string; sent: number; failed: number }>();
    for (const [receiver, counts] of this.#sender.attempts()) {
      const channel = this.deps.config.alerting.receivers.find((r) => r.id === receiver)?.type ?? 'removed';
      const total = byChannel.get(channel) ?? { channel, sent: 0, failed: 0 };
      total.sent += counts.sent;
      total.failed += counts.failed;
      byChannel.set(channel, total);
    }
    return [...byChannel.values()];
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    // Gathered but not yet queued: queue now (journaled) rather than lose them.
    await this.#runner.stop();
    // Openings still waiting to know whether they are a fault of their own: written as they stand.
    this.#history.due(Infinity);
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
      if (event?.kind === 'opened') {
        this.#context.refresh(event.alert);
        event.alert.place = this.#directory.placeOf(event.alert.device);
      }
      const alert = event?.alert ?? this.#book.active().find((a) => a.key === transition.key);
      if (!event) {
        // A latched alert's condition cleared (or it was wet again): no notice, but a restart must know.
        if (alert && (transition.kind === 'firing' || transition.kind === 'resolved' || transition.kind === 'flapping_ended')) this.#journal.append({ t: 'alert', alert });
        continue;
      }
      const changes = this.#incidents.apply(event, this.#book.active(), event.at);
      const joined = changes.flatMap((c) => (c.kind === 'joined' && c.alert !== event.alert ? [c.alert] : []));
      // One append: the incident, the alerts it claimed, and this alert's notice to come.
      this.#journal.append(...changeRecords(changes), ...joined.map((alert) => ({ t: 'alert' as const, alert })), { t: 'alert', alert: { ...event.alert, pending: event.kind } });
      this.#history.alertChanged(event);
      this.#recordChanges(changes);
      this.#runner.dispatch(event, 0);
    }
  }

  /** What the incidents' changes mean beyond the journal: claimed alerts' notices taken back, history rows. */
  #recordChanges(changes: readonly IncidentChange[]): void {
    for (const change of changes) {
      if (change.kind === 'joined') {
        this.#runner.claim(change.alert.key);
        this.#history.joined(change.alert.key);
      }
      if (change.kind === 'opened' || change.kind === 'resolved') this.#history.incident(change.incident, change.kind, this.#alertsOf(change.incident)[0]?.device ?? change.incident.scope.device ?? '-');
    }
  }

  /** The alerts of an incident's members, in member order: active ones, else the resolved ones kept as recent. */
  #alertsOf(incident: Incident): Alert[] {
    return incident.members.flatMap((member) => this.#book.find(member.id) ?? []);
  }


  /** Keeps the journal quick to replay: past ROTATE_AFTER records, history moves to history/. */
  #rotateIfLarge(pending: readonly NotifyEvent[] = []): void {
    if (this.#journal.growth < (this.deps.rotateAfter ?? ROTATE_AFTER)) return;
    // Notices not yet queued (restored ones, and those gathering in groups) keep their marker.
    const waiting = [...pending, ...this.#gatherer.waiting()];
    // A resolved incident whose alerts are still active stays too: their recovery stays silent.
    const inIncidents = new Set(this.#book.active().map((a) => a.incidentId));
    const incidents = [...this.#incidents.active(), ...this.#incidents.recent().filter((i) => inIncidents.has(i.id))];
    const incidentAlerts = this.#incidents.active().flatMap((i) => this.#alertsOf(i)).filter((a) => a.status === 'resolved');
    const live = liveRecords({ active: this.#book.active(), waiting, silences: this.#silences.setByPeople(), outbox: this.#sender.entries(), incidents, incidentAlerts }, this.#wall());
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
    this.#settle(now);
    this.#history.due(now);
    // An alert in an incident escalates and repeats as the incident; once that resolved, on its own.
    const active = this.#book.active();
    const inIncident = (a: Alert) => a.incidentId !== undefined && (this.#incidents.get(a.incidentId)?.status ?? 'resolved') !== 'resolved';
    this.#runner.tick(ALERT_TICKS, active.filter((a) => !inIncident(a)), at, repeatIntervalMs);
    this.#runner.tick(MEMBER_TICKS, active.filter(inIncident), at, repeatIntervalMs);
    this.#runner.tickIncidents(INCIDENT_TICKS, this.#incidents.active(), at, repeatIntervalMs);
    this.#sender.kickIfDue(now);
  }

  /** Incidents whose settle is over resolve: one recovery, to whom their opening reached. */
  #settle(now: number): void {
    const changes = this.#incidents.tick(now, this.deps.config.alerting.incidents.settleMs, this.#book.active());
    for (const change of changes) if (change.kind !== 'resolved') this.#journal.append({ t: 'incident', incident: change.incident });
    this.#incidentsResolved(changes.filter((c) => c.kind === 'resolved'), now);
  }

  /** Resolved incidents: journaled with their recovery pending, written to the history, and told. */
  #incidentsResolved(changes: readonly IncidentChange[], now: number): void {
    for (const change of changes) {
      this.#journal.append({ t: 'incident', incident: { ...change.incident, pending: 'incident_resolved' } });
      this.#recordChanges([change]);
      this.#runner.dispatch(incidentEvent('incident_resolved', change.incident, this.#incidentView, now), 0);
    }
  }
}

/** Each change's incident as it is now, once each. */
function changeRecords(changes: readonly IncidentChange[]): JournalRecord[] {
  return [...new Set(changes.map((c) => c.incident))].map((incident) => ({ t: 'incident' as const, incident }));
}

