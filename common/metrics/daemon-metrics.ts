import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PollOutcome } from '../contracts/poll.js';
import { CarriedTotals, type Figure } from './carried.js';

/**
 * What the running parts already know, read when Prometheus scrapes. The composition root points
 * these at the current sink, engine and trap receiver after every (re)start.
 */
export interface MetricSources {
  sink(): { writtenPoints: number; spoolBytes: number; spooledPoints: number; reachable: boolean };
  /** The active alerts (only their state and severity are read). */
  alerts(): Iterable<{ status: string; severity: string }>;
  ruleEvaluations(): number;
  /** Delivery attempts per channel (the receiver type: email, webhook, wecom...). */
  notifications(): Iterable<{ channel: string; sent: number; failed: number }>;
  notificationsPending(): number;
  trapsReceived(): number;
}

export interface DaemonMetricsOptions {
  /** Every alert severity and active state, exported as 0 when none is active (a missing series is not 0 to Prometheus). */
  severities: readonly string[];
  states: readonly string[];
}

/** Poll durations: SNMP and Modbus TCP answer in milliseconds, a timing-out RTU line in seconds. */
const POLL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The daemon's own metrics for Prometheus (GET /metrics): one Registry per daemon, never
 * prom-client's global one, so several daemons in one process (tests) do not share counts.
 * Polls are counted as they happen (a cached child per device type: no labels built per poll);
 * everything else is read from the parts at scrape time, so the hot paths carry no extra work.
 * Labels are only device_type, result, state, severity and channel: their values are few and
 * fixed by the configuration, whatever the number of devices.
 */
export class DaemonMetrics {
  readonly registry = new Registry();
  readonly #polls: Counter<'device_type' | 'result'>;
  readonly #pollErrors: Counter<'device_type'>;
  readonly #pollDuration: Histogram<'device_type'>;
  readonly #authFailures: Counter;
  readonly #byType = new Map<string, { ok: Counter.Internal; failed: Counter.Internal; errors: Counter.Internal; duration: Histogram.Internal<'device_type'> }>();
  #sources: MetricSources | undefined;
  readonly #written = new CarriedTotals<never>();
  readonly #evaluations = new CarriedTotals<never>();
  readonly #traps = new CarriedTotals<never>();
  readonly #notifications = new CarriedTotals<'channel' | 'result'>();

  constructor(options: DaemonMetricsOptions) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters, which promtool's lint refuses; the per-type gauges without the
    // suffix (nodejs_active_handles{type}...) stay, and sum() gives the same totals.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    this.#polls = new Counter({ name: 'roomwatch_polls_total', help: 'Polls of devices, by device type and result (ok or error).', labelNames: ['device_type', 'result'], registers });
    this.#pollErrors = new Counter({ name: 'roomwatch_poll_errors_total', help: 'Polls that failed (timeout, refused, unusable answer), by device type.', labelNames: ['device_type'], registers });
    this.#pollDuration = new Histogram({ name: 'roomwatch_poll_duration_seconds', help: 'How long a poll of a device took, by device type.', labelNames: ['device_type'], buckets: POLL_BUCKETS, registers });
    this.#authFailures = new Counter({ name: 'roomwatch_api_auth_failures_total', help: 'API requests refused for missing or wrong credentials.', registers });
    carried(this.registry, 'roomwatch_points_written_total', 'Points InfluxDB accepted (readings, device health, alert events).', this.#written);
    carried(this.registry, 'roomwatch_rule_evaluations_total', 'Alert rules judged against a value or a timer.', this.#evaluations);
    carried(this.registry, 'roomwatch_traps_received_total', 'SNMP traps and informs received from configured devices.', this.#traps);
    carried(this.registry, 'roomwatch_notifications_total', 'Notification delivery attempts, by channel (receiver type) and result (sent or failed; a retried one fails once per attempt).', this.#notifications, ['channel', 'result']);
    const sink = () => this.#sources?.sink();
    gauge(this.registry, 'roomwatch_spool_bytes', 'Bytes in the on-disk spool waiting for InfluxDB.', () => sink()?.spoolBytes ?? 0);
    gauge(this.registry, 'roomwatch_spool_points', 'Points in the on-disk spool waiting for InfluxDB.', () => sink()?.spooledPoints ?? 0);
    gauge(this.registry, 'roomwatch_influxdb_reachable', '1 when the last write to InfluxDB succeeded, else 0.', () => (sink()?.reachable ? 1 : 0));
    gauge(this.registry, 'roomwatch_notifications_pending', 'Notifications in the outbox, not yet delivered.', () => this.#sources?.notificationsPending() ?? 0);
    const alerts = new Gauge({
      name: 'roomwatch_alerts',
      help: 'Active alerts, by state (firing, acknowledged) and severity.',
      labelNames: ['state', 'severity'],
      registers,
      collect: () => {
        const counts = new Map<string, number>();
        for (const alert of this.#sources?.alerts() ?? []) counts.set(`${alert.status}\n${alert.severity}`, (counts.get(`${alert.status}\n${alert.severity}`) ?? 0) + 1);
        alerts.reset();
        for (const state of options.states) for (const severity of options.severities) alerts.set({ state, severity }, counts.get(`${state}\n${severity}`) ?? 0);
      },
    });
  }

  /** Points the scrape-time figures at the parts of this (re)start; the counters carry on from the old ones. */
  follow(sources: MetricSources): void {
    this.#sources = sources;
    this.#written.follow(() => [{ labels: {}, value: sources.sink().writtenPoints }]);
    this.#evaluations.follow(() => [{ labels: {}, value: sources.ruleEvaluations() }]);
    this.#traps.follow(() => [{ labels: {}, value: sources.trapsReceived() }]);
    this.#notifications.follow(() => notificationFigures(sources.notifications()));
  }

  /** One poll of one device (from the event bus). */
  observePoll(outcome: PollOutcome): void {
    const type = outcome.device.template.name;
    let children = this.#byType.get(type);
    if (!children) {
      children = {
        ok: this.#polls.labels(type, 'ok'),
        failed: this.#polls.labels(type, 'error'),
        errors: this.#pollErrors.labels(type),
        duration: this.#pollDuration.labels(type),
      };
      // Present from the first poll at 0: an error counter that appears only with its first
      // error hides that error from rate() and increase().
      for (const counter of [children.ok, children.failed, children.errors]) counter.inc(0);
      this.#byType.set(type, children);
    }
    if (outcome.ok) children.ok.inc();
    else {
      children.failed.inc();
      children.errors.inc();
    }
    children.duration.observe(outcome.durationMs / 1000);
  }

  /** A request the API refused for missing or wrong credentials. */
  authFailure(): void {
    this.#authFailures.inc();
  }

  /** The Prometheus text exposition and its content type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

function* notificationFigures(channels: Iterable<{ channel: string; sent: number; failed: number }>): Iterable<Figure<'channel' | 'result'>> {
  for (const { channel, sent, failed } of channels) {
    yield { labels: { channel, result: 'sent' }, value: sent };
    yield { labels: { channel, result: 'failed' }, value: failed };
  }
}

/** A counter whose value is a part's own running total, read at scrape time. */
function carried<Label extends string>(registry: Registry, name: string, help: string, totals: CarriedTotals<Label>, labelNames: Label[] = []): void {
  const counter: Counter<Label> = new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect: () => {
      counter.reset();
      for (const { labels, value } of totals.totals()) counter.inc(labels as Partial<Record<Label, string>>, value);
    },
  });
}

/** A gauge read from a part at scrape time. */
function gauge(registry: Registry, name: string, help: string, read: () => number): void {
  const metric: Gauge = new Gauge({ name, help, registers: [registry], collect: () => metric.set(read()) });
}
